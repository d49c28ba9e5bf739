// arange and linspace with PyTorch's CPU arithmetic, bit for bit. PyTorch fills them with
// cpu_serial_kernel_vec: over the first n - n % (2W) elements, blocks of W = 32 / sizeof(T) (AVX2
// Vectorized<T>) are computed as base + j * step from one base per block; the remaining elements one by one.
// Its x86-64 builds contract `start + step * idx` into a fused multiply-add, so do we.
#include <cmath>
#include "kernel_util.h"
#include "torchlet.h"

namespace {

constexpr int64_t kVectorBytes = 32;

// out[i] for i < n: blocks of W from block(i0) (returns the block's W values through put), the tail from one(i).
template <typename T, typename Block, typename One>
void vectorized_fill(T* out, int64_t n, int64_t width, Block block, One one) {
  const int64_t vec_end = n - n % (2 * width);
  for (int64_t i = 0; i < vec_end; i += width) block(i, out + i);
  for (int64_t i = vec_end; i < n; i++) out[i] = one(i);
}

template <typename T>
void arange_typed(T* out, int64_t n, double start, double step) {
  if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, tl::boolean>) {
    // integer arange accumulates in int64: exact
    const int64_t s = int64_t(start), st = int64_t(step);
    for (int64_t i = 0; i < n; i++) out[i] = tl::convert<T>(int64_t(uint64_t(s) + uint64_t(st) * uint64_t(i)));
  } else {
    // accumulate type double; each block's base is rounded to T, then base + j * step is one fma in double
    // (checked against PyTorch's bits; linspace's float blocks, below, are not contracted)
    const int64_t w = kVectorBytes / int64_t(sizeof(T));
    vectorized_fill(out, n, w,
        [&](int64_t i0, T* o) {
          const T base = T(std::fma(step, double(i0), start));
          for (int64_t j = 0; j < w; j++) o[j] = T(std::fma(double(j), step, double(base)));
        },
        [&](int64_t i) { return T(std::fma(step, double(i), start)); });
  }
}

template <typename T>
void linspace_float(T* out, int64_t n, double start_d, double end_d) {
  const T start = T(start_d), end = T(end_d);
  if (n == 1) {
    out[0] = start;
    return;
  }
  const T step = (end - start) / T(n - 1);
  const int64_t halfway = n / 2;
  auto one = [&](int64_t i) {
    return i < halfway ? std::fma(step, T(i), start) : std::fma(-step, T(n - 1 - i), end);
  };
  const int64_t w = kVectorBytes / int64_t(sizeof(T));
  vectorized_fill(out, n, w,
      [&](int64_t i0, T* o) {
        const T base = one(i0);
        for (int64_t j = 0; j < w; j++) o[j] = base + T(j) * step;
      },
      one);
}

// Integer linspace: start and end truncated to int64 first, the step in double (PyTorch's step_t); blocks of
// Vectorized<int64_t> (4) start from a truncated base and truncate base + j * step again.
template <typename T>
void linspace_int(T* out, int64_t n, double start_d, double end_d) {
  const double start = double(tl::convert<int64_t>(start_d)), end = double(tl::convert<int64_t>(end_d));
  if (n == 1) {
    out[0] = tl::convert<T>(int64_t(start));
    return;
  }
  const double step = (end - start) / double(n - 1);
  const int64_t halfway = n / 2;
  auto one = [&](int64_t i) {
    return i < halfway ? std::fma(step, double(i), start) : std::fma(-step, double(n - 1 - i), end);
  };
  vectorized_fill(out, n, kVectorBytes / int64_t(sizeof(int64_t)),
      [&](int64_t i0, T* o) {
        const int64_t base = tl::convert<int64_t>(one(i0));
        for (int64_t j = 0; j < kVectorBytes / int64_t(sizeof(int64_t)); j++)
          o[j] = tl::convert<T>(tl::convert<int64_t>(double(base) + double(j) * step));
      },
      [&](int64_t i) { return tl::convert<T>(tl::convert<int64_t>(one(i))); });
}

}  // namespace

void tl_arange(int dt, int64_t out, int64_t n, double start, double step) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    arange_typed<T>(reinterpret_cast<T*>(out), n, start, step);
  });
}

void tl_linspace(int dt, int64_t out, int64_t n, double start, double end) {
  if (n == 0) return;
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      linspace_float<T>(reinterpret_cast<T*>(out), n, start, end);
    } else {
      linspace_int<T>(reinterpret_cast<T*>(out), n, start, end);
    }
  });
}
