// Shared by the CUDA kernels: dtype dispatch, conversions, the per-device stream, and the elementwise
// launcher over strided operands. Internal, not part of the ABI.
#pragma once
#include <cuda_runtime.h>
#include <stdint.h>
#include <type_traits>
#include "torchlet.h"
#include "torchlet_cuda.h"

namespace tlc {

enum Dt { F32 = 0, F64 = 1, I64 = 2, BOOL = 3 };
using boolean = uint8_t;

// f(T{}) with the C++ type of dtype dt.
template <typename F>
void dispatch(int dt, F&& f) {
  switch (dt) {
    case F32: f(float{}); break;
    case F64: f(double{}); break;
    case I64: f(int64_t{}); break;
    default: f(boolean{}); break;
  }
}

// PyTorch's conversions, as tl::convert: to bool is x != 0; float to int64 truncates, NaN and out of range
// give INT64_MIN.
template <typename To, typename From>
__host__ __device__ inline To convert(From x) {
  if constexpr (std::is_same_v<To, boolean>) {
    return x != From(0);
  } else if constexpr (std::is_same_v<To, int64_t> && std::is_floating_point_v<From>) {
    if (!(x >= From(-9223372036854775808.0) && x < From(9223372036854775808.0))) return INT64_MIN;
    return static_cast<int64_t>(x);
  } else {
    return static_cast<To>(x);
  }
}

// Makes dev current on this thread and sets *s to its stream (created on first use); returns 0 or the error.
int stream(int dev, cudaStream_t* s);

// Internal scratch memory from the caching allocator (stream-ordered like every block); none for 0 bytes.
struct Scratch {
  int dev;
  int64_t nbytes, addr;
  Scratch(int dev_, int64_t nbytes_) : dev(dev_), nbytes(nbytes_), addr(nbytes_ > 0 ? tlc_alloc(dev_, nbytes_) : 0) {}
  bool ok() const { return nbytes == 0 || addr != 0; }
  ~Scratch() { if (addr != 0) tlc_free(dev, addr, nbytes); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  template <typename T> T* as() const { return reinterpret_cast<T*>(addr); }
};

// 0, or the error of the launches just made (cudaGetLastError also clears a non-sticky error).
inline int launched() { return int(cudaGetLastError()); }

constexpr int kThreads = 256;
constexpr int kMaxDims = 25;  // PyTorch's MAX_DIMS: a kernel parameter, not a limit Java can pass

inline unsigned grid_for(int64_t n, int64_t per_block = kThreads) {
  const int64_t blocks = (n + per_block - 1) / per_block;
  return unsigned(blocks < 1 ? 1 : blocks > (int64_t(1) << 16) ? (int64_t(1) << 16) : blocks);
}

// The strided layout of K operands with coalesced dims (innermost first), as tl::for_each_run builds it.
template <int K>
struct Geometry {
  int nd = 0;
  int64_t sizes[kMaxDims];
  int64_t strides[K][kMaxDims];
};

// meta (see torchlet.h) -> Geometry: size-1 dims dropped, dims contiguous for every operand merged.
template <int K>
Geometry<K> coalesce(const int64_t* meta) {
  Geometry<K> g;
  const int nd = int(meta[0]);
  const int64_t* shape = meta + 1;
  for (int d = nd - 1; d >= 0; d--) {
    if (shape[d] == 1) continue;
    int64_t s[K];
    for (int k = 0; k < K; k++) s[k] = meta[1 + nd * (1 + k) + d];
    if (g.nd > 0) {
      bool mergeable = true;
      for (int k = 0; k < K; k++) mergeable &= s[k] == g.strides[k][g.nd - 1] * g.sizes[g.nd - 1];
      if (mergeable) {
        g.sizes[g.nd - 1] *= shape[d];
        continue;
      }
    }
    g.sizes[g.nd] = shape[d];
    for (int k = 0; k < K; k++) g.strides[k][g.nd] = s[k];
    g.nd++;
  }
  return g;
}

// f(off) for every element: off[k] = operand k's element offset. 32-bit indices (GPU integer division is
// several times faster in 32 bits, and one kernel per functor keeps the build small); a 1-d layout (every
// contiguous operand set coalesces to one) needs no division at all. Bigger index spaces are launched in
// pieces by for_each, each with its own base offsets.
template <int K>
struct Base {
  int64_t off[K];
};

template <int K, typename F>
__global__ void strided_kernel(uint32_t n, Geometry<K> g, Base<K> base, F f) {
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    int64_t off[K];
    if (g.nd <= 1) {
      for (int k = 0; k < K; k++) off[k] = base.off[k] + int64_t(i) * (g.nd == 1 ? g.strides[k][0] : 0);
    } else {
      for (int k = 0; k < K; k++) off[k] = base.off[k];
      uint32_t rest = i;
      for (int d = 0; d < g.nd; d++) {
        const uint32_t size = uint32_t(g.sizes[d]);
        const uint32_t c = rest % size;
        rest /= size;
        for (int k = 0; k < K; k++) off[k] += int64_t(c) * g.strides[k][d];
      }
    }
    f(off);
  }
}

constexpr int64_t kMaxPiece = int64_t(1) << 31;

// Runs f(off) over n elements of K operands laid out as meta says (nullptr: all contiguous). Index spaces
// above 2^31 elements go in pieces along the outermost dim (or the one dim); TLC_TOO_LARGE only where one
// step of the outermost dim alone exceeds 2^31 elements.
template <int K, typename F>
int for_each(int dev, int64_t n, const int64_t* meta, F f) {
  if (n == 0) return 0;
  cudaStream_t s;
  if (int e = stream(dev, &s)) return e;
  Geometry<K> g;
  if (meta == nullptr) {
    g.nd = 1;
    g.sizes[0] = n;
    for (int k = 0; k < K; k++) g.strides[k][0] = 1;
  } else {
    g = coalesce<K>(meta);
  }
  Base<K> base{};
  if (n <= kMaxPiece) {
    strided_kernel<K><<<grid_for(n), kThreads, 0, s>>>(uint32_t(n), g, base, f);
    return launched();
  }
  const int outer = g.nd - 1;
  const int64_t inner = n / g.sizes[outer];  // elements per step of the outermost dim
  if (inner > kMaxPiece) return TLC_TOO_LARGE;
  const int64_t steps = kMaxPiece / inner, total = g.sizes[outer];
  for (int64_t at = 0; at < total; at += steps) {
    const int64_t count = total - at < steps ? total - at : steps;
    Geometry<K> piece = g;
    piece.sizes[outer] = count;
    for (int k = 0; k < K; k++) base.off[k] = at * g.strides[k][outer];
    strided_kernel<K><<<grid_for(count * inner), kThreads, 0, s>>>(uint32_t(count * inner), piece, base, f);
    if (int e = launched()) return e;
  }
  return 0;
}

// out = op(in...) over contiguous operands of one type T, 16 bytes per load and store where every pointer
// is 16-byte aligned; the scalar tail (and unaligned operands) element by element.
template <typename T, int N>
struct Ins {
  const T* p[N > 0 ? N : 1];
};

template <typename T, int N, typename Op>
__device__ inline T apply(const Op& op, const T (&v)[N > 0 ? N : 1]) {
  if constexpr (N == 0) return op();
  else if constexpr (N == 1) return op(v[0]);
  else if constexpr (N == 2) return op(v[0], v[1]);
  else return op(v[0], v[1], v[2]);
}

template <typename T, int N, typename Op>
__global__ void vector_kernel(int64_t n, T* out, Ins<T, N> in, Op op) {
  constexpr int V = 16 / sizeof(T);
  struct alignas(16) Pack { T v[V]; };
  const int64_t packs = n / V, step = int64_t(blockDim.x) * gridDim.x;
  const int64_t first = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  for (int64_t i = first; i < packs; i += step) {
    Pack src[N > 0 ? N : 1];
    for (int k = 0; k < N; k++) src[k] = reinterpret_cast<const Pack*>(in.p[k])[i];
    Pack r;
#pragma unroll
    for (int j = 0; j < V; j++) {
      T v[N > 0 ? N : 1];
      for (int k = 0; k < N; k++) v[k] = src[k].v[j];
      r.v[j] = apply<T, N>(op, v);
    }
    reinterpret_cast<Pack*>(out)[i] = r;
  }
  for (int64_t i = packs * V + first; i < n; i += step) {
    T v[N > 0 ? N : 1];
    for (int k = 0; k < N; k++) v[k] = in.p[k][i];
    out[i] = apply<T, N>(op, v);
  }
}

// out = op(in[0], ..., in[N-1]) elementwise over operands (inputs, then out) of one element type T.
template <typename T, int N, typename Op>
struct MapSame {
  Ins<T, N> in;
  T* out;
  Op op;
  __device__ void operator()(const int64_t* off) const {
    T v[N > 0 ? N : 1];
    for (int k = 0; k < N; k++) v[k] = in.p[k][off[k]];
    out[off[N]] = apply<T, N>(op, v);
  }
};

template <typename T, int N, typename Op>
int map_same(int dev, int64_t n, const int64_t* meta, Ins<T, N> in, T* out, Op op) {
  if (meta == nullptr && n > 0) {
    bool aligned = (reinterpret_cast<uintptr_t>(out) & 15) == 0;
    for (int k = 0; k < N; k++) aligned &= (reinterpret_cast<uintptr_t>(in.p[k]) & 15) == 0;
    if (aligned) {
      cudaStream_t s;
      if (int e = stream(dev, &s)) return e;
      vector_kernel<T, N><<<grid_for(n, int64_t(kThreads) * (16 / sizeof(T))), kThreads, 0, s>>>(n, out, in, op);
      return launched();
    }
  }
  return for_each<N + 1>(dev, n, meta, MapSame<T, N, Op>{in, out, op});
}

}  // namespace tlc
