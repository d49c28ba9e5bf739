// Reductions over the trailing dims (tlc_reduce = tl_reduce of src/main/cpp/reduce.cpp): sum, mean, prod,
// max, min, argmax, argmin. Float accumulation in double, integer in wrapping int64, as on the CPU.
//
// Two kernels, chosen by the shapes alone, so every result is the same on every run:
// - one thread per output walks the reduced space in row-major order, exactly the CPU's sequential order.
//   Used when the reduced space is small, or when neighbouring outputs are neighbours in memory (a column
//   sum: the threads of a warp then read consecutive addresses);
// - one block per output otherwise: thread t takes positions t, t + 256, ..., and the 256 partial results
//   are combined in a fixed tree.
// max/min keep the first extreme (NaN counts as extreme), as the CPU does: partial results carry their
// position and the tree prefers NaN, then the more extreme value, then the lower position.
#include <cmath>
#include "cuda_util.cuh"

using tlc::boolean;

namespace {

struct RedGeometry {
  int nk = 0, nr = 0;
  int64_t keep_shape[tlc::kMaxDims], in_keep[tlc::kMaxDims], out_st[tlc::kMaxDims], idx_st[tlc::kMaxDims];
  int64_t red_shape[tlc::kMaxDims], red_st[tlc::kMaxDims];  // coalesced, innermost last
  int64_t count = 1;  // positions in the reduced space
};

// The input offset of row-major position pos of the reduced space.
__device__ inline int64_t red_offset(const RedGeometry& g, int64_t pos) {
  int64_t off = 0;
  for (int d = g.nr - 1; d >= 0; d--) {
    off += (pos % g.red_shape[d]) * g.red_st[d];
    pos /= g.red_shape[d];
  }
  return off;
}

// Output o's input, output and index offsets.
__device__ inline void keep_offsets(const RedGeometry& g, int64_t o, int64_t& in, int64_t& out, int64_t& idx) {
  in = out = idx = 0;
  for (int d = g.nk - 1; d >= 0; d--) {
    const int64_t c = o % g.keep_shape[d];
    o /= g.keep_shape[d];
    in += c * g.in_keep[d];
    out += c * g.out_st[d];
    idx += c * g.idx_st[d];
  }
}

template <typename T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double, uint64_t>;

// The running state of a reduction: an accumulator, or an extreme with its position.
template <typename T>
struct State {
  Acc<T> acc;
  T best;
  int64_t pos;  // -1: no element yet
  bool nan;
};

template <typename T>
struct Reducer {
  int op;
  __device__ State<T> init() const {
    return State<T>{op == TL_PROD ? Acc<T>(1) : Acc<T>(0), T(), -1, false};
  }
  __device__ bool is_max() const { return op == TL_MAX || op == TL_ARGMAX; }
  __device__ void add(State<T>& s, T v, int64_t pos) const {
    if (op == TL_SUM || op == TL_MEAN) {
      s.acc += std::is_floating_point_v<T> ? Acc<T>(v) : Acc<T>(int64_t(v));
    } else if (op == TL_PROD) {
      s.acc *= std::is_floating_point_v<T> ? Acc<T>(v) : Acc<T>(int64_t(v));
    } else {
      if (s.nan) return;
      if (v != v) {
        s.best = v;
        s.pos = pos;
        s.nan = true;
      } else if (s.pos < 0 || (is_max() ? v > s.best : v < s.best)) {
        s.best = v;
        s.pos = pos;
      }
    }
  }
  // a and b cover disjoint positions; the result is what a sequential pass over both would give.
  __device__ State<T> combine(const State<T>& a, const State<T>& b) const {
    if (op == TL_SUM || op == TL_MEAN) return State<T>{Acc<T>(a.acc + b.acc), T(), -1, false};
    if (op == TL_PROD) return State<T>{Acc<T>(a.acc * b.acc), T(), -1, false};
    if (a.pos < 0) return b;
    if (b.pos < 0) return a;
    if (a.nan != b.nan) return a.nan ? a : b;
    if (a.nan) return a.pos < b.pos ? a : b;
    if (a.best == b.best) return a.pos < b.pos ? a : b;
    return (is_max() ? a.best > b.best : a.best < b.best) ? a : b;
  }
  __device__ void write(const State<T>& s, int64_t count, char* out, int64_t out_off, int64_t* idx,
                        int64_t idx_off) const {
    constexpr bool floating = std::is_floating_point_v<T>;
    if (op == TL_SUM || op == TL_PROD) {
      if constexpr (floating) reinterpret_cast<T*>(out)[out_off] = T(s.acc);
      else reinterpret_cast<int64_t*>(out)[out_off] = int64_t(s.acc);
    } else if (op == TL_MEAN) {
      if constexpr (floating) reinterpret_cast<T*>(out)[out_off] = T(count == 0 ? double(NAN) : s.acc / double(count));
    } else {
      if ((op == TL_MAX || op == TL_MIN) && out != nullptr) reinterpret_cast<T*>(out)[out_off] = s.best;
      if (idx != nullptr) idx[idx_off] = s.pos < 0 ? 0 : s.pos;
    }
  }
};

template <typename T>
__global__ void reduce_per_thread(const T* in, char* out, int64_t* idx, int64_t outputs, RedGeometry g, Reducer<T> r) {
  for (int64_t o = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; o < outputs; o += int64_t(blockDim.x) * gridDim.x) {
    int64_t in_off, out_off, idx_off;
    keep_offsets(g, o, in_off, out_off, idx_off);
    State<T> s = r.init();
    for (int64_t pos = 0; pos < g.count; pos++) r.add(s, in[in_off + red_offset(g, pos)], pos);
    r.write(s, g.count, out, out_off, idx, idx_off);
  }
}

template <typename T>
__global__ void reduce_per_block(const T* in, char* out, int64_t* idx, int64_t outputs, RedGeometry g, Reducer<T> r) {
  __shared__ State<T> part[tlc::kThreads];
  for (int64_t o = blockIdx.x; o < outputs; o += gridDim.x) {
    int64_t in_off, out_off, idx_off;
    keep_offsets(g, o, in_off, out_off, idx_off);
    State<T> s = r.init();
    for (int64_t pos = threadIdx.x; pos < g.count; pos += blockDim.x) r.add(s, in[in_off + red_offset(g, pos)], pos);
    part[threadIdx.x] = s;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
      if (int(threadIdx.x) < half) part[threadIdx.x] = r.combine(part[threadIdx.x], part[threadIdx.x + half]);
      __syncthreads();
    }
    if (threadIdx.x == 0) r.write(part[0], g.count, out, out_off, idx, idx_off);
    __syncthreads();  // part is reused by the next output
  }
}

// meta (see tl_reduce) -> RedGeometry with the reduced dims coalesced as reduce.cpp does.
RedGeometry geometry(const int64_t* meta) {
  RedGeometry g;
  const int nkeep = int(meta[0]), nred = int(meta[1]);
  const int64_t* keep_shape = meta + 2;
  const int64_t* red_shape = keep_shape + nkeep;
  const int64_t* in_keep = red_shape + nred;
  const int64_t* in_red = in_keep + nkeep;
  const int64_t* out_strides = in_red + nred;
  const int64_t* idx_strides = out_strides + nkeep;
  for (int d = 0; d < nkeep; d++) {
    if (keep_shape[d] == 1) continue;
    g.keep_shape[g.nk] = keep_shape[d];
    g.in_keep[g.nk] = in_keep[d];
    g.out_st[g.nk] = out_strides[d];
    g.idx_st[g.nk] = idx_strides[d];
    g.nk++;
  }
  for (int d = 0; d < nred; d++) {
    g.count *= red_shape[d];
    if (red_shape[d] == 1) continue;
    if (g.nr > 0 && g.red_st[g.nr - 1] == in_red[d] * red_shape[d]) {
      g.red_shape[g.nr - 1] *= red_shape[d];
      g.red_st[g.nr - 1] = in_red[d];
      continue;
    }
    g.red_shape[g.nr] = red_shape[d];
    g.red_st[g.nr] = in_red[d];
    g.nr++;
  }
  return g;
}

}  // namespace

int tlc_reduce(int dev, int op, int dt, int64_t in, int64_t out, int64_t out_idx, const int64_t* meta) {
  const RedGeometry g = geometry(meta);
  int64_t outputs = 1;
  for (int d = 0; d < g.nk; d++) outputs *= g.keep_shape[d];
  if (outputs == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  // One thread per output for small reductions and for column reductions (the innermost kept dim has unit
  // stride and there are enough outputs to fill the GPU); one block per output otherwise.
  const bool columns = g.nk > 0 && g.in_keep[g.nk - 1] == 1 && outputs >= 2048;
  const bool per_thread = g.count <= 64 || columns;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    const Reducer<T> r{op};
    const T* pin = reinterpret_cast<const T*>(in);
    char* pout = reinterpret_cast<char*>(out);
    int64_t* pidx = reinterpret_cast<int64_t*>(out_idx);
    if (per_thread) {
      reduce_per_thread<T><<<tlc::grid_for(outputs), tlc::kThreads, 0, s>>>(pin, pout, pidx, outputs, g, r);
    } else {
      const unsigned blocks = unsigned(outputs < (int64_t(1) << 16) ? outputs : (int64_t(1) << 16));
      reduce_per_block<T><<<blocks, tlc::kThreads, 0, s>>>(pin, pout, pidx, outputs, g, r);
    }
  });
  return tlc::launched();
}
