// Stable sort of contiguous rows (tl_sort of src/main/cpp/sort.cpp on the GPU), with CUB's radix sort.
//
// Every element gets an unsigned 64-bit key whose unsigned order is the comparison order tl_sort uses:
// floats by their bits with the sign folded in, -0.0 mapped to +0.0 (they compare equal, so their order
// must stay), every NaN to the largest key (NaN sorts above every number); int64 with the sign bit flipped;
// descending sorts invert the key. Radix sort is stable, so two passes sort by (row, key, position): first
// the flat positions by key, then by the row each position belongs to. Values are gathered from the input
// afterwards, so -0.0 and NaN payloads come out unchanged.
#include <cub/device/device_radix_sort.cuh>
#include "cuda_util.cuh"

namespace {

template <typename T>
__device__ inline uint64_t ordered_key(T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (v != v) return ~uint64_t(0);
    if (v == T(0)) v = T(0);  // -0.0 -> +0.0
    uint64_t bits;
    if constexpr (std::is_same_v<T, float>) {
      uint32_t b = __float_as_uint(v);
      b = (b & 0x80000000u) ? ~b : (b | 0x80000000u);
      bits = b;
    } else {
      uint64_t b = uint64_t(__double_as_longlong(v));
      b = (b & 0x8000000000000000ull) ? ~b : (b | 0x8000000000000000ull);
      bits = b;
    }
    return bits;  // NaN's all-ones key is above every float's, which keeps the top bit pattern below it
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return uint64_t(v) ^ 0x8000000000000000ull;
  } else {
    return uint64_t(v);
  }
}

template <typename T>
__global__ void make_keys(const T* in, int64_t n, bool descending, uint64_t* keys, int64_t* positions) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(blockDim.x) * gridDim.x) {
    const uint64_t k = ordered_key(in[i]);
    keys[i] = descending ? ~k : k;
    positions[i] = i;
  }
}

__global__ void row_keys(const int64_t* positions, int64_t n, int64_t len, uint64_t* keys) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(blockDim.x) * gridDim.x)
    keys[i] = uint64_t(positions[i] / len);
}

template <typename T>
__global__ void gather(const T* in, const int64_t* positions, int64_t n, int64_t len, T* values, int64_t* indices) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += int64_t(blockDim.x) * gridDim.x) {
    const int64_t p = positions[i];
    values[i] = in[p];
    if (indices != nullptr) indices[i] = p % len;
  }
}

int bits_for(int64_t rows) {  // bits that hold row indices 0..rows-1
  int b = 0;
  while (b < 63 && (int64_t(1) << b) < rows) b++;
  return b;
}

}  // namespace

int tlc_sort(int dev, int dt, int64_t in, int64_t values, int64_t indices, int64_t rows, int64_t len, int descending) {
  const int64_t n = rows * len;
  if (n == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  const tlc::Scratch k1(dev, n * 8), k2(dev, n * 8), p1(dev, n * 8), p2(dev, n * 8);
  if (!k1.ok() || !k2.ok() || !p1.ok() || !p2.ok()) return int(cudaErrorMemoryAllocation);
  uint64_t *keys_in = k1.as<uint64_t>(), *keys_out = k2.as<uint64_t>();
  int64_t *pos_in = p1.as<int64_t>(), *pos_out = p2.as<int64_t>();
  const int key_bits = dt == tlc::F32 ? 32 : dt == tlc::BOOL ? 8 : 64;
  int err = 0;
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    make_keys<T><<<tlc::grid_for(n), tlc::kThreads, 0, s>>>(reinterpret_cast<const T*>(in), n, descending != 0,
                                                            keys_in, pos_in);
  });
  if ((err = tlc::launched())) return err;
  // descending keys of narrower types were inverted in all 64 bits: their high bits are all ones, equal
  // for every element, so sorting the low key_bits is enough either way
  size_t temp_bytes = 0;
  cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys_in, keys_out, pos_in, pos_out, n, 0, key_bits, s);
  const tlc::Scratch temp(dev, int64_t(temp_bytes));
  if (!temp.ok()) return int(cudaErrorMemoryAllocation);
  if (cudaError_t e = cub::DeviceRadixSort::SortPairs(reinterpret_cast<void*>(temp.addr), temp_bytes, keys_in,
                                                      keys_out, pos_in, pos_out, n, 0, key_bits, s))
    return int(e);
  int64_t* sorted = pos_out;
  if (rows > 1) {  // then stably by row: positions of row r come before those of row r + 1
    row_keys<<<tlc::grid_for(n), tlc::kThreads, 0, s>>>(pos_out, n, len, keys_in);
    if ((err = tlc::launched())) return err;
    size_t temp2 = 0;
    const int row_bits = bits_for(rows);
    cub::DeviceRadixSort::SortPairs(nullptr, temp2, keys_in, keys_out, pos_out, pos_in, n, 0, row_bits, s);
    const tlc::Scratch t2(dev, int64_t(temp2));
    if (!t2.ok()) return int(cudaErrorMemoryAllocation);
    if (cudaError_t e = cub::DeviceRadixSort::SortPairs(reinterpret_cast<void*>(t2.addr), temp2, keys_in, keys_out,
                                                        pos_out, pos_in, n, 0, row_bits, s))
      return int(e);
    sorted = pos_in;
  }
  tlc::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    gather<T><<<tlc::grid_for(n), tlc::kThreads, 0, s>>>(reinterpret_cast<const T*>(in), sorted, n, len,
                                                         reinterpret_cast<T*>(values),
                                                         reinterpret_cast<int64_t*>(indices));
  });
  return tlc::launched();
}
