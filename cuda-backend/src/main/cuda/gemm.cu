// Matrix products: C[b] = A[b] @ B[b] for a batch of matrices with any strides (a transposed
// operand is read in place), shared-memory tiles, register blocking, double-buffered tiles.
//
// - gemm_simt_*: exact FMA in the element type (the default for float32, and float64, int64).
// - gemm_tf32_*: float32 on tensor cores (mma.sync m16n8k8 TF32, float32 accumulation), only
//   where the user allows TF32 (PyTorch's allow_tf32).
// - *_conv: implicit GEMM for conv2d: B's element (r, j) is read from the NCHW image, where
//   r = (channel, kh, kw) and j = (image, oy, ox); C is written as [N, O, OH*OW].
// - split-K: for products with few output tiles and a long k, blockIdx.y takes a slice of k and
//   writes a partial product; splitk_reduce_* sums the slices in a fixed order.
#include "common.cuh"

struct GemmParams {
  i64 a;
  i64 b;  // conv: the image x
  i64 c;  // the product, or the split-K workspace
  int m, n, k;
  int ars, acs;  // A's row and column strides (elements)
  int brs, bcs;  // B's
  int batch;
  int tilesN;
  int splits;
  int kChunk;  // k per split, a multiple of the tile's k
  Shape bshape;  // the batch dimensions
  View va;       // A's offset and batch strides
  View vb;       // B's (conv: x's offset)
  // conv2d (implicit GEMM): the image's channels, height, width, the window, output size
  int cc, ch, cw, ck, cstride, cpad, cdil, coh, cow;
  int xs[4];  // x's strides
};

struct SplitParams {
  i64 out;
  i64 ws;
  int splits;
  int total;  // batch * m * n
  int m;
  int n;
  int convL;  // > 0: write conv2d's [N, O, L] layout
};

// ---------------------------------------------------------------- TF32 conversion and mma

__device__ __forceinline__ float to_tf32(float x) {
#ifdef ADJOINT_EMULATE
  return emu_to_tf32(x);
#else
  unsigned r;
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
  return __uint_as_float(r);
#endif
}

// d += a (16x8, row) * b (8x8, col): one warp, fragments as in the PTX ISA's mma.m16n8k8.
__device__ __forceinline__ void mma_tf32(float* d, const float* a, const float* b) {
#ifdef ADJOINT_EMULATE
  emu_mma_m16n8k8_tf32(d, a, b);
#else
  asm volatile(
      "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
      "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
      : "r"(__float_as_uint(a[0])), "r"(__float_as_uint(a[1])), "r"(__float_as_uint(a[2])),
        "r"(__float_as_uint(a[3])), "r"(__float_as_uint(b[0])), "r"(__float_as_uint(b[1])));
#endif
}

struct Exact {
  template <typename T>
  __device__ __forceinline__ static T apply(T x) { return x; }
};
struct Tf32 {
  template <typename T>
  __device__ __forceinline__ static T apply(T x) { return to_tf32(x); }
};

// ---------------------------------------------------------------- tiles from global memory

// Loads a BM x BK tile of A and a BK x BN tile of B into registers, then into shared memory
// (k-major: As[k][m], Bs[k][n]). Each operand is read along whichever of its dimensions is
// contiguous, so that a warp's loads coalesce for row-major and transposed operands alike.
template <typename T, int BM, int BN, int BK, int THREADS, bool CONV>
struct TileLoader {
  static constexpr int EA = BM * BK / THREADS;
  static constexpr int EB = BK * BN / THREADS;
  static constexpr int NC = CONV ? EB : 1;
  T ra[EA];
  T rb[EB];
  bool aAlongM;  // A's m is its contiguous dimension
  bool bAlongK;  // B's k is its contiguous dimension
  // Per element this thread loads: its offset at k = 0 (fixed for the whole k loop), its k
  // within the tile, and whether its row (column) exists. conv: the image offset and the
  // top-left input position of the column instead.
  int aOff[EA];
  int aK[EA];
  unsigned aRows;
  int bOff[EB];
  int bK[EB];
  unsigned bCols;
  int colY[NC];
  int colX[NC];

  __device__ __forceinline__ void init(const GemmParams& p, int row0, int col0) {
    int tid = threadIdx.x;
    aAlongM = p.ars < p.acs;
    bAlongK = !CONV && p.brs < p.bcs;
    aRows = 0;
#pragma unroll
    for (int q = 0; q < EA; q++) {
      int e = tid * EA + q;
      int r = aAlongM ? e % BM : e / BK;
      int kk = aAlongM ? e / BM : e % BK;
      aOff[q] = (row0 + r) * p.ars + kk * p.acs;
      aK[q] = kk;
      if (row0 + r < p.m) aRows |= 1u << q;
    }
    bCols = 0;
    int L = p.coh * p.cow;
#pragma unroll
    for (int q = 0; q < EB; q++) {
      int e = tid * EB + q;
      int c = bAlongK ? e / BK : e % BN;
      int kk = bAlongK ? e % BK : e / BN;
      int j = col0 + c;
      bK[q] = kk;
      if (j < p.n) bCols |= 1u << q;
      if (CONV) {
        int img = j / L;
        int pix = j - img * L;
        int oy = pix / p.cow;
        int ox = pix - oy * p.cow;
        bOff[q] = img * p.xs[0];
        colY[q % NC] = j < p.n ? oy * p.cstride - p.cpad : -(1 << 29);
        colX[q % NC] = ox * p.cstride - p.cpad;
      } else {
        bOff[q] = kk * p.brs + j * p.bcs;
      }
    }
  }

  __device__ __forceinline__ void load(const GemmParams& p, const T* A, const T* B, int k0,
                                       int kEnd) {
#pragma unroll
    for (int q = 0; q < EA; q++) {
      bool ok = ((aRows >> q) & 1) && k0 + aK[q] < kEnd;
      ra[q] = ok ? A[aOff[q] + k0 * p.acs] : (T)0;
    }
    if (CONV) {
      // every element of this thread has the same k (columns run along the tile's n)
      int gk = k0 + bK[0];
      int kw2 = p.ck * p.ck;
      int chn = gk / kw2;
      int rem = gk - chn * kw2;
      int kh = rem / p.ck;
      int kw = rem - kh * p.ck;
      int dy = kh * p.cdil;
      int dx = kw * p.cdil;
      int off = chn * p.xs[1];
#pragma unroll
      for (int q = 0; q < EB; q++) {
        int iy = colY[q % NC] + dy;
        int ix = colX[q % NC] + dx;
        bool in = gk < kEnd && iy >= 0 && iy < p.ch && ix >= 0 && ix < p.cw;
        rb[q] = in ? B[bOff[q] + off + iy * p.xs[2] + ix * p.xs[3]] : (T)0;
      }
    } else {
#pragma unroll
      for (int q = 0; q < EB; q++) {
        bool ok = ((bCols >> q) & 1) && k0 + bK[q] < kEnd;
        rb[q] = ok ? B[bOff[q] + k0 * p.brs] : (T)0;
      }
    }
  }

  template <typename Cv, int PA, int PB>
  __device__ __forceinline__ void store(T (*As)[BM + PA], T (*Bs)[BN + PB]) {
    int tid = threadIdx.x;
#pragma unroll
    for (int q = 0; q < EA; q++) {
      int e = tid * EA + q;
      if (aAlongM) {
        As[e / BM][e % BM] = Cv::apply(ra[q]);
      } else {
        As[e % BK][e / BK] = Cv::apply(ra[q]);
      }
    }
#pragma unroll
    for (int q = 0; q < EB; q++) {
      int e = tid * EB + q;
      if (bAlongK) {
        Bs[e % BK][e / BK] = Cv::apply(rb[q]);
      } else {
        Bs[e / BN][e % BN] = Cv::apply(rb[q]);
      }
    }
  }
};

// Where the product's element (row, col) of matrix bz goes.
template <typename T, bool CONV>
__device__ __forceinline__ void store_c(const GemmParams& p, int bz, int split, int row, int col,
                                        T v) {
  T* c = (T*)p.c;
  if (row >= p.m || col >= p.n) return;
  if (p.splits > 1) {
    c[(((i64)split * p.batch + bz) * p.m + row) * p.n + col] = v;
  } else if (CONV) {
    int L = p.coh * p.cow;
    int img = col / L;
    c[((i64)img * p.m + row) * L + (col - img * L)] = v;
  } else {
    c[((i64)bz * p.m + row) * p.n + col] = v;
  }
}

// ---------------------------------------------------------------- SIMT tiles

// THREADS = (BM / TM) * (BN / TN); each thread computes TM x TN products as two halves per
// dimension (rows ty*TM/2.. and BM/2 + ty*TM/2..), so that a quarter-warp reads consecutive
// shared memory words.
template <typename T, int BM, int BN, int BK, int TM, int TN, bool CONV>
__device__ __forceinline__ void gemm_simt(const GemmParams& p) {
  constexpr int TX = BN / TN;
  constexpr int THREADS = (BM / TM) * TX;
  constexpr int HM = TM / 2;
  constexpr int HN = TN / 2;
  __shared__ T As[2][BK][BM];
  __shared__ T Bs[2][BK][BN];
  int tid = threadIdx.x;
  int tx = tid % TX;
  int ty = tid / TX;
  int tm = blockIdx.x / p.tilesN;
  int tn = blockIdx.x - tm * p.tilesN;
  int row0 = tm * BM;
  int col0 = tn * BN;
  int split = blockIdx.y;
  int kBegin = split * p.kChunk;
  int kEnd = min(p.k, kBegin + p.kChunk);
  int tiles = (kEnd - kBegin + BK - 1) / BK;
  for (int bz = blockIdx.z; bz < p.batch; bz += gridDim.z) {
    int aoff, boff;
    view_offsets2(p.bshape, p.va, p.vb, bz, aoff, boff);
    const T* A = (const T*)p.a + aoff;
    const T* B = (const T*)p.b + boff;
    TileLoader<T, BM, BN, BK, THREADS, CONV> ld;
    ld.init(p, row0, col0);
    T acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
      for (int j = 0; j < TN; j++) acc[i][j] = (T)0;
    if (tiles > 0) {
      ld.load(p, A, B, kBegin, kEnd);
      ld.template store<Exact, 0, 0>(As[0], Bs[0]);
    }
    __syncthreads();
    for (int t = 0; t < tiles; t++) {
      int cur = t & 1;
      if (t + 1 < tiles) ld.load(p, A, B, kBegin + (t + 1) * BK, kEnd);
#pragma unroll
      for (int kk = 0; kk < BK; kk++) {
        T a[TM];
        T b[TN];
#pragma unroll
        for (int i = 0; i < HM; i++) {
          a[i] = As[cur][kk][ty * HM + i];
          a[HM + i] = As[cur][kk][BM / 2 + ty * HM + i];
        }
#pragma unroll
        for (int j = 0; j < HN; j++) {
          b[j] = Bs[cur][kk][tx * HN + j];
          b[HN + j] = Bs[cur][kk][BN / 2 + tx * HN + j];
        }
#pragma unroll
        for (int i = 0; i < TM; i++)
#pragma unroll
          for (int j = 0; j < TN; j++) acc[i][j] += a[i] * b[j];
      }
      if (t + 1 < tiles) ld.template store<Exact, 0, 0>(As[cur ^ 1], Bs[cur ^ 1]);
      __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < TM; i++) {
      int row = row0 + (i < HM ? ty * HM + i : BM / 2 + ty * HM + i - HM);
#pragma unroll
      for (int j = 0; j < TN; j++) {
        int col = col0 + (j < HN ? tx * HN + j : BN / 2 + tx * HN + j - HN);
        store_c<T, CONV>(p, bz, split, row, col, acc[i][j]);
      }
    }
  }
}

// ---------------------------------------------------------------- TF32 tensor-core tiles

// 128 x 128 x 16 tiles, 8 warps as 2 x 4, each warp 64 x 32 = 4 x 4 mma tiles of 16 x 8.
template <bool CONV>
__device__ __forceinline__ void gemm_tf32(const GemmParams& p) {
  constexpr int BM = 128, BN = 128, BK = 16, PAD = 8;
  __shared__ float As[2][BK][BM + PAD];
  __shared__ float Bs[2][BK][BN + PAD];
  int tid = threadIdx.x;
  int warp = tid >> 5;
  int lane = tid & 31;
  int g = lane >> 2;
  int t4 = lane & 3;
  int wm = (warp >> 2) * 64;
  int wn = (warp & 3) * 32;
  int tm = blockIdx.x / p.tilesN;
  int tn = blockIdx.x - tm * p.tilesN;
  int row0 = tm * BM;
  int col0 = tn * BN;
  int split = blockIdx.y;
  int kBegin = split * p.kChunk;
  int kEnd = min(p.k, kBegin + p.kChunk);
  int tiles = (kEnd - kBegin + BK - 1) / BK;
  for (int bz = blockIdx.z; bz < p.batch; bz += gridDim.z) {
    int aoff, boff;
    view_offsets2(p.bshape, p.va, p.vb, bz, aoff, boff);
    const float* A = (const float*)p.a + aoff;
    const float* B = (const float*)p.b + boff;
    TileLoader<float, BM, BN, BK, 256, CONV> ld;
    ld.init(p, row0, col0);
    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
      for (int j = 0; j < 4; j++)
#pragma unroll
        for (int q = 0; q < 4; q++) acc[i][j][q] = 0.f;
    if (tiles > 0) {
      ld.load(p, A, B, kBegin, kEnd);
      ld.template store<Tf32, PAD, PAD>(As[0], Bs[0]);
    }
    __syncthreads();
    for (int t = 0; t < tiles; t++) {
      int cur = t & 1;
      if (t + 1 < tiles) ld.load(p, A, B, kBegin + (t + 1) * BK, kEnd);
#pragma unroll
      for (int ks = 0; ks < BK; ks += 8) {
        float a[4][4];
        float b[4][2];
#pragma unroll
        for (int mi = 0; mi < 4; mi++) {
          int r = wm + mi * 16 + g;
          a[mi][0] = As[cur][ks + t4][r];
          a[mi][1] = As[cur][ks + t4][r + 8];
          a[mi][2] = As[cur][ks + t4 + 4][r];
          a[mi][3] = As[cur][ks + t4 + 4][r + 8];
        }
#pragma unroll
        for (int ni = 0; ni < 4; ni++) {
          int c = wn + ni * 8 + g;
          b[ni][0] = Bs[cur][ks + t4][c];
          b[ni][1] = Bs[cur][ks + t4 + 4][c];
        }
#pragma unroll
        for (int mi = 0; mi < 4; mi++)
#pragma unroll
          for (int ni = 0; ni < 4; ni++) mma_tf32(acc[mi][ni], a[mi], b[ni]);
      }
      if (t + 1 < tiles) ld.template store<Tf32, PAD, PAD>(As[cur ^ 1], Bs[cur ^ 1]);
      __syncthreads();
    }
#pragma unroll
    for (int mi = 0; mi < 4; mi++)
#pragma unroll
      for (int ni = 0; ni < 4; ni++)
#pragma unroll
        for (int q = 0; q < 4; q++) {
          int row = row0 + wm + mi * 16 + g + (q >> 1) * 8;
          int col = col0 + wn + ni * 8 + t4 * 2 + (q & 1);
          store_c<float, CONV>(p, bz, split, row, col, acc[mi][ni][q]);
        }
  }
}

// ---------------------------------------------------------------- split-K sums

template <typename T>
__device__ __forceinline__ void splitk_body(const SplitParams& p) {
  T* out = (T*)p.out;
  const T* ws = (const T*)p.ws;
  FOR_EACH(i, p.total) {
    T acc = (T)0;
    for (int s = 0; s < p.splits; s++) acc += ws[(i64)s * p.total + i];
    if (p.convL > 0) {
      int row = i / p.n;
      int col = i - row * p.n;
      int img = col / p.convL;
      out[((i64)img * p.m + row) * p.convL + (col - img * p.convL)] = acc;
    } else {
      out[i] = acc;
    }
  }
}

// ---------------------------------------------------------------- entry points

// 128 x 128 tiles of 8 x 8 per thread for large float32 products; 64 x 64 of 4 x 4 otherwise.
KERNEL_BOUNDS(gemm_simt_f32_large, GemmParams, 256, 2) { gemm_simt<float, 128, 128, 8, 8, 8, false>(p); }
KERNEL_BOUNDS(gemm_simt_f32_small, GemmParams, 256, 2) { gemm_simt<float, 64, 64, 8, 4, 4, false>(p); }
KERNEL_BOUNDS(gemm_simt_f64, GemmParams, 256, 2) { gemm_simt<double, 64, 64, 8, 4, 4, false>(p); }
KERNEL_BOUNDS(gemm_simt_i64, GemmParams, 256, 2) { gemm_simt<i64, 64, 64, 8, 4, 4, false>(p); }
KERNEL_BOUNDS(gemm_simt_f32_large_conv, GemmParams, 256, 2) { gemm_simt<float, 128, 128, 8, 8, 8, true>(p); }
KERNEL_BOUNDS(gemm_simt_f32_small_conv, GemmParams, 256, 2) { gemm_simt<float, 64, 64, 8, 4, 4, true>(p); }
KERNEL_BOUNDS(gemm_tf32, GemmParams, 256, 1) { gemm_tf32<false>(p); }
KERNEL_BOUNDS(gemm_tf32_conv, GemmParams, 256, 1) { gemm_tf32<true>(p); }
KERNEL(splitk_reduce_f32, SplitParams) { splitk_body<float>(p); }
KERNEL(splitk_reduce_f64, SplitParams) { splitk_body<double>(p); }
KERNEL(splitk_reduce_i64, SplitParams) { splitk_body<i64>(p); }
