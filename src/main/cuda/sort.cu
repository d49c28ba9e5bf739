// Stable sort of contiguous rows (tl_sort of src/main/cpp/sort.cpp on the GPU): a bottom-up merge sort.
//
// Every element gets an unsigned 64-bit key whose unsigned order is the comparison order tl_sort uses:
// floats by their bits with the sign folded in, -0.0 mapped to +0.0 (they compare equal, so their order
// must stay), every NaN to the largest key (NaN sorts above every number); int64 with the sign bit flipped;
// descending sorts invert the key. Pass w merges neighbouring sorted runs of w elements within each row:
// each element finds its place by a binary search in the other run, where an element of the left run goes
// before equal elements of the right one, so the sort is stable. log2(len) passes; the values are gathered
// from the input at the end, so -0.0 and NaN payloads come out unchanged. (CUB's radix sort would be faster
// on long rows, but it alone took longer to compile for four architectures than all other kernels.)
#include <utility>
#include "cuda_util.cuh"

namespace {

template <typename T>
__device__ inline uint64_t ordered_key(T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (v != v) return ~uint64_t(0);
    if (v == T(0)) v = T(0);  // -0.0 -> +0.0
    if constexpr (std::is_same_v<T, float>) {
      const uint32_t b = __float_as_uint(v);
      return (b & 0x80000000u) ? uint64_t(~b) : uint64_t(b | 0x80000000u);
    } else {
      const uint64_t b = uint64_t(__double_as_longlong(v));
      // all ones is NaN's: the largest double (+inf) maps below it
      return (b & 0x8000000000000000ull) ? ~b : (b | 0x8000000000000000ull);
    }
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return uint64_t(v) ^ 0x8000000000000000ull;
  } else {
    return uint64_t(v);
  }
}

template <typename T>
__global__ void make_keys(const T* in, int64_t n, int64_t len, bool descending, uint64_t* keys, int64_t* positions) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(blockDim.x) * gridDim.x) {
    const uint64_t k = ordered_key(in[i]);
    keys[i] = descending ? ~k : k;
    positions[i] = i % len;
  }
}

// One merge pass: runs of w within each row of len, from (keys, pos) into (keys_out, pos_out).
__global__ void merge_pass(const uint64_t* keys, const int64_t* pos, int64_t n, int64_t len, int64_t w,
                           uint64_t* keys_out, int64_t* pos_out) {
  for (int64_t g = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; g < n; g += int64_t(blockDim.x) * gridDim.x) {
    const int64_t row = g / len * len, i = g - row;
    const int64_t left = i / (2 * w) * (2 * w), mid = min(left + w, len), right = min(left + 2 * w, len);
    const uint64_t key = keys[g];
    const bool in_left = i < mid;
    // the other run, and how many of its elements go before this one
    int64_t lo = in_left ? mid : left, hi = in_left ? right : mid;
    while (lo < hi) {
      const int64_t m = (lo + hi) / 2;
      const uint64_t other = keys[row + m];
      if (in_left ? other < key : other <= key) lo = m + 1;
      else hi = m;
    }
    const int64_t before = lo - (in_left ? mid : left);
    const int64_t at = row + left + (in_left ? i - left : i - mid) + before;
    keys_out[at] = key;
    pos_out[at] = pos[g];
  }
}

template <typename T>
__global__ void gather(const T* in, const int64_t* positions, int64_t n, int64_t len, T* values, int64_t* indices) {
  for (int64_t g = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; g < n; g += int64_t(blockDim.x) * gridDim.x) {
    const int64_t p = positions[g];
    values[g] = in[g / len * len + p];
    if (indices != nullptr) indices[g] = p;
  }
}

}  // namespace

int tlc_sort(int dev, int dt, int64_t in, int64_t values, int64_t indices, int64_t rows, int64_t len, int descending) {
  const int64_t n = rows * len;
  if (n == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  const tlc::Scratch k1(dev, n * 8), k2(dev, n * 8), p1(dev, n * 8), p2(dev, n * 8);
  if (!k1.ok() || !k2.ok() || !p1.ok() || !p2.ok()) return int(cudaErrorMemoryAllocation);
  uint64_t *keys = k1.as<uint64_t>(), *keys_out = k2.as<uint64_t>();
  int64_t *pos = p1.as<int64_t>(), *pos_out = p2.as<int64_t>();
  const unsigned grid = tlc::grid_for(n);
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    make_keys<T><<<grid, tlc::kThreads, 0, s>>>(reinterpret_cast<const T*>(in), n, len, descending != 0, keys, pos);
  });
  for (int64_t w = 1; w < len; w *= 2) {
    merge_pass<<<grid, tlc::kThreads, 0, s>>>(keys, pos, n, len, w, keys_out, pos_out);
    std::swap(keys, keys_out);
    std::swap(pos, pos_out);
  }
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    gather<T><<<grid, tlc::kThreads, 0, s>>>(reinterpret_cast<const T*>(in), pos, n, len,
                                              reinterpret_cast<T*>(values), reinterpret_cast<int64_t*>(indices));
  });
  return tlc::launched();
}
