// Indexing: gather and indexSelect. An index out of range is never read through: the output
// element becomes 0 and the first bad index is reported in the error word (see common.cuh),
// which the host checks at its next synchronization.
#include "common.cuh"

// out[i] = x[... index[i] at dim ...] over the index's shape (PyTorch's gather).
struct GatherParams {
  i64 out;
  i64 x;
  i64 index;
  i64 err;
  int dim;
  int dimSize;
  int tag;
  Shape shape;  // the index's (and output's) shape, uncoalesced
  View vx;      // x's offset and strides
  View vi;      // the index's offset and strides
};

// out[..., i, ...] = x[..., index[i], ...] along dim; negative indices count from the end.
struct IndexSelectParams {
  i64 out;
  i64 x;
  i64 index;
  i64 err;
  int dim;
  int dimSize;
  int tag;
  int ioffset;
  int istride;
  Shape shape;  // the output's shape, uncoalesced
  View vx;      // x's offset and strides
};

template <typename T>
__device__ __forceinline__ void gather_body(const GatherParams& p) {
  T* out = (T*)p.out;
  const T* x = (const T*)p.x;
  const i64* index = (const i64*)p.index;
  FOR_EACH(e, p.shape.n) {
    int rest = e;
    int ox = p.vx.offset;
    int oi = p.vi.offset;
    int sd = 0;  // x's stride along dim
#pragma unroll
    for (int d = MAXD - 1; d >= 0; d--) {
      if (d < p.shape.rank) {
        int q = rest / p.shape.size[d];
        int r = rest - q * p.shape.size[d];
        oi += r * p.vi.stride[d];
        if (d == p.dim) {
          sd = p.vx.stride[d];
        } else {
          ox += r * p.vx.stride[d];
        }
        rest = q;
      }
    }
    i64 j = index[oi];
    if (j < 0 || j >= p.dimSize) {
      report_bad_index((i64*)p.err, p.tag, j);
      out[e] = (T)0;
    } else {
      out[e] = x[ox + (int)j * sd];
    }
  }
}

template <typename T>
__device__ __forceinline__ void index_select_body(const IndexSelectParams& p) {
  T* out = (T*)p.out;
  const T* x = (const T*)p.x;
  const i64* index = (const i64*)p.index;
  FOR_EACH(e, p.shape.n) {
    int rest = e;
    int ox = p.vx.offset;
    int at = 0;
    int sd = 0;
#pragma unroll
    for (int d = MAXD - 1; d >= 0; d--) {
      if (d < p.shape.rank) {
        int q = rest / p.shape.size[d];
        int r = rest - q * p.shape.size[d];
        if (d == p.dim) {
          at = r;
          sd = p.vx.stride[d];
        } else {
          ox += r * p.vx.stride[d];
        }
        rest = q;
      }
    }
    i64 j = index[p.ioffset + at * p.istride];
    i64 k = j < 0 ? j + p.dimSize : j;
    if (k < 0 || k >= p.dimSize) {
      report_bad_index((i64*)p.err, p.tag, j);
      out[e] = (T)0;
    } else {
      out[e] = x[ox + (int)k * sd];
    }
  }
}

KERNEL(gather_f32, GatherParams) { gather_body<float>(p); }
KERNEL(gather_f64, GatherParams) { gather_body<double>(p); }
KERNEL(gather_i64, GatherParams) { gather_body<i64>(p); }
KERNEL(index_select_f32, IndexSelectParams) { index_select_body<float>(p); }
KERNEL(index_select_f64, IndexSelectParams) { index_select_body<double>(p); }
KERNEL(index_select_i64, IndexSelectParams) { index_select_body<i64>(p); }
