// A CUDA device emulated on the CPU, driven over stdin/stdout by the Java tests
// (dev.adjoint.cuda.EmulatedDevice): device memory is host memory, kernels are the .cu sources
// compiled for the host (emu.h), every thread of a block is a fiber.
//
// Protocol, little-endian: a one-byte command, its arguments, and a reply where noted.
//   'A' u64 bytes                -> u64 address     allocate
//   'F' u64 address                                 free
//   'U' u64 address u64 bytes data                  upload
//   'D' u64 address u64 bytes    -> data            download
//   'M' u64 address u32 value u64 bytes             memset
//   'C' u64 dst u64 src u64 bytes                   copy
//   'K' u16 length name          -> u8 found        kernel lookup
//   'L' u16 length name 6 x u32 grid and block, u32 length params        launch
//   'S'                          -> u8 0            synchronize
// Any error is written to stderr and ends the process with status 1.
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include "emu.h"

namespace emu {

struct Group {
  int size = 0;
  int count = 0;
  long gen = 0;
};

struct Fiber {
  ucontext_t context;
  dim3 tid;
  int linear = 0;
  bool done = false;
  bool waiting = false;
  std::vector<char> stack;
};

Fiber* current = nullptr;
dim3 block_idx, block_dim, grid_dim;

static ucontext_t scheduler;
static std::vector<Fiber> fibers;
static Group block_group;
static std::vector<Group> warp_groups;
static std::vector<uint64_t> warp_slots;  // 32 per warp
static long progress = 0;
static const Entry* running = nullptr;
static const std::vector<char>* running_params = nullptr;

static std::map<std::string, std::pair<size_t, Entry>>& registry() {
  static std::map<std::string, std::pair<size_t, Entry>> r;
  return r;
}

Registrar::Registrar(const char* name, size_t bytes, Entry entry) {
  registry()[name] = {bytes, entry};
}

[[noreturn]] static void fail(const std::string& what) {
  std::fprintf(stderr, "emulator: %s\n", what.c_str());
  std::exit(1);
}

const dim3& thread_idx() { return current->tid; }
int lane() { return current->linear & 31; }

static void yield() {
  current->waiting = true;
  swapcontext(&current->context, &scheduler);
  current->waiting = false;
}

static void barrier(Group& g) {
  long gen = g.gen;
  if (++g.count == g.size) {
    g.count = 0;
    g.gen++;
    progress++;
    return;
  }
  while (g.gen == gen) yield();
}

void sync_block() { barrier(block_group); }
void sync_warp() { barrier(warp_groups[current->linear >> 5]); }

uint64_t exchange(uint64_t mine, int src) {
  int w = current->linear >> 5;
  uint64_t* slots = &warp_slots[w * 32];
  slots[lane()] = mine;
  sync_warp();
  uint64_t r = src < warp_groups[w].size ? slots[src] : mine;
  sync_warp();
  return r;
}

static void fiber_main() {
  (*running)(running_params->data());
  current->done = true;
  progress++;
  swapcontext(&current->context, &scheduler);
}

static void run_block(int threads) {
  for (int t = 0; t < threads; t++) {
    Fiber& f = fibers[t];
    f.done = false;
    f.waiting = false;
    getcontext(&f.context);
    f.context.uc_stack.ss_sp = f.stack.data();
    f.context.uc_stack.ss_size = f.stack.size();
    f.context.uc_link = nullptr;
    makecontext(&f.context, fiber_main, 0);
  }
  block_group = Group{threads, 0, 0};
  int warps = (threads + 31) / 32;
  warp_groups.assign(warps, Group{});
  for (int w = 0; w < warps; w++) warp_groups[w].size = std::min(32, threads - 32 * w);
  warp_slots.assign(warps * 32, 0);
  int alive = threads;
  while (alive > 0) {
    long before = progress;
    bool all_waiting = true;
    alive = 0;
    for (int t = 0; t < threads; t++) {
      Fiber& f = fibers[t];
      if (f.done) continue;
      current = &f;
      swapcontext(&scheduler, &f.context);
      if (!f.done) {
        alive++;
        if (!f.waiting) all_waiting = false;
      }
    }
    if (alive > 0 && all_waiting && progress == before) {
      fail("deadlock: threads wait at a barrier that others never reach (a __syncthreads in "
           "divergent code, or threads that returned early)");
    }
  }
}

static void launch(const std::string& name, dim3 grid, dim3 block,
                   const std::vector<char>& params) {
  auto it = registry().find(name);
  if (it == registry().end()) fail("no kernel " + name);
  if (params.size() != it->second.first) {
    fail("kernel " + name + " takes " + std::to_string(it->second.first) +
         " bytes of parameters, got " + std::to_string(params.size()));
  }
  int threads = block.x * block.y * block.z;
  if (threads < 1 || threads > 1024) fail("bad block size for " + name);
  if ((int)fibers.size() < threads) {
    fibers.resize(threads);
    for (auto& f : fibers) f.stack.resize(1 << 18);
  }
  for (int t = 0; t < threads; t++) {
    fibers[t].linear = t;
    fibers[t].tid = dim3{(unsigned)(t % block.x), (unsigned)((t / block.x) % block.y),
                         (unsigned)(t / (block.x * block.y))};
  }
  running = &it->second.second;
  running_params = &params;
  block_dim = block;
  grid_dim = grid;
  for (unsigned z = 0; z < grid.z; z++)
    for (unsigned y = 0; y < grid.y; y++)
      for (unsigned x = 0; x < grid.x; x++) {
        block_idx = dim3{x, y, z};
        run_block(threads);
      }
}

}  // namespace emu

// The warp's fragments meet in shared slots; each lane then computes its four results.
void emu_mma_m16n8k8_tf32(float* d, const float* a, const float* b) {
  static float As[32][32][4], Bs[32][32][2];  // per warp of the block
  int lane = emu::lane();
  float(*A)[4] = As[emu::current->linear >> 5];
  float(*B)[2] = Bs[emu::current->linear >> 5];
  for (int i = 0; i < 4; i++) A[lane][i] = a[i];
  for (int i = 0; i < 2; i++) B[lane][i] = b[i];
  emu::sync_warp();
  int g = lane >> 2, t = lane & 3;
  for (int q = 0; q < 4; q++) {
    int row = g + (q >> 1) * 8;
    int col = 2 * t + (q & 1);
    float acc = d[q];
    for (int k = 0; k < 8; k++) {
      float x = A[(row & 7) * 4 + (k & 3)][(row >= 8 ? 1 : 0) + (k >= 4 ? 2 : 0)];
      float y = B[col * 4 + (k & 3)][k >= 4 ? 1 : 0];
      acc += x * y;
    }
    d[q] = acc;
  }
  emu::sync_warp();
}

// ---------------------------------------------------------------- the command loop

static std::set<uint64_t> allocations;

static void read_exact(void* p, size_t n) {
  if (n > 0 && std::fread(p, 1, n, stdin) != n) std::exit(0);  // the JVM went away
}
static void write_exact(const void* p, size_t n) {
  if (std::fwrite(p, 1, n, stdout) != n) std::exit(1);
}
template <typename T>
static T get() {
  T v;
  read_exact(&v, sizeof(T));
  return v;
}

int main() {
  std::vector<char> buffer;
  for (;;) {
    int op = std::fgetc(stdin);
    if (op == EOF) return 0;
    switch (op) {
      case 'A': {
        uint64_t bytes = get<uint64_t>();
        void* p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
        if (!p) emu::fail("out of memory");
        uint64_t a = (uint64_t)p;
        allocations.insert(a);
        write_exact(&a, 8);
        std::fflush(stdout);
        break;
      }
      case 'F': {
        uint64_t a = get<uint64_t>();
        if (!allocations.erase(a)) emu::fail("free of an address never allocated");
        std::free((void*)a);
        break;
      }
      case 'U': {
        uint64_t a = get<uint64_t>(), n = get<uint64_t>();
        read_exact((void*)a, n);
        break;
      }
      case 'D': {
        uint64_t a = get<uint64_t>(), n = get<uint64_t>();
        write_exact((void*)a, n);
        std::fflush(stdout);
        break;
      }
      case 'M': {
        uint64_t a = get<uint64_t>();
        uint32_t v = get<uint32_t>();
        uint64_t n = get<uint64_t>();
        std::memset((void*)a, (int)v, n);
        break;
      }
      case 'C': {
        uint64_t d = get<uint64_t>(), s = get<uint64_t>(), n = get<uint64_t>();
        std::memmove((void*)d, (void*)s, n);
        break;
      }
      case 'K': {
        uint16_t len = get<uint16_t>();
        std::string name(len, ' ');
        read_exact(&name[0], len);
        uint8_t found = emu::registry().count(name) ? 1 : 0;
        write_exact(&found, 1);
        std::fflush(stdout);
        break;
      }
      case 'L': {
        uint16_t len = get<uint16_t>();
        std::string name(len, ' ');
        read_exact(&name[0], len);
        uint32_t dims[6];
        read_exact(dims, sizeof dims);
        uint32_t plen = get<uint32_t>();
        buffer.resize(plen);
        read_exact(buffer.data(), plen);
        emu::launch(name, dim3{dims[0], dims[1], dims[2]}, dim3{dims[3], dims[4], dims[5]},
                    buffer);
        break;
      }
      case 'S': {
        uint8_t ok = 0;
        write_exact(&ok, 1);
        std::fflush(stdout);
        break;
      }
      default:
        emu::fail("unknown command " + std::to_string(op));
    }
  }
}
