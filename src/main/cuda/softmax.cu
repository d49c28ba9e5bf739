// Row kernels (src/main/cpp/softmax.cpp on the GPU): softmax, log-softmax and their backward over contiguous
// rows; cross entropy with class-index targets and label smoothing, forward and fused backward. One block
// per row; each row's max and sums are computed in double (fixed tree order: deterministic) and every
// result is rounded once to the dtype, as on the CPU.
#include <cmath>
#include "cuda_util.cuh"

namespace {

// Threads per row: a power of two from 32 to 256, about the row length.
unsigned threads_for(int64_t len) {
  unsigned t = 32;
  while (t < 256 && int64_t(t) < len) t *= 2;
  return t;
}

unsigned blocks_for(int64_t rows) { return unsigned(rows < (int64_t(1) << 16) ? rows : (int64_t(1) << 16)); }

// The block's sum (or NaN-propagating max) of v, in a fixed tree order; every thread gets the result.
template <bool MAX>
__device__ double block_reduce(double v, double* shared) {
  shared[threadIdx.x] = v;
  __syncthreads();
  for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) {
      const double a = shared[threadIdx.x], b = shared[threadIdx.x + half];
      shared[threadIdx.x] = MAX ? (a != a ? a : b != b ? b : a > b ? a : b) : a + b;
    }
    __syncthreads();
  }
  const double r = shared[0];
  __syncthreads();  // shared is reused by the next reduction
  return r;
}

// The row's max (NaN if the row has one; -inf when empty) and sum of exp(x - max), in double.
template <typename T>
__device__ void row_stats(const T* x, int64_t len, double* shared, double& max, double& sum) {
  double m = -INFINITY;
  for (int64_t j = threadIdx.x; j < len; j += blockDim.x) {
    const double v = x[j];
    m = m != m ? m : v != v ? v : v > m ? v : m;
  }
  max = block_reduce<true>(m, shared);
  double s = 0;
  for (int64_t j = threadIdx.x; j < len; j += blockDim.x) s += exp(double(x[j]) - max);
  sum = block_reduce<false>(s, shared);
}

template <typename T>
__global__ void softmax_kernel(const T* in, T* out, int64_t rows, int64_t len, bool log_) {
  __shared__ double shared[256];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* x = in + r * len;
    T* z = out + r * len;
    double max, sum;
    row_stats(x, len, shared, max, sum);
    if (log_) {
      const double lse = log(sum);
      for (int64_t j = threadIdx.x; j < len; j += blockDim.x) z[j] = T((double(x[j]) - max) - lse);
    } else {
      const double inv = 1 / sum;
      for (int64_t j = threadIdx.x; j < len; j += blockDim.x) z[j] = T(exp(double(x[j]) - max) * inv);
    }
  }
}

template <typename T>
__global__ void softmax_backward_kernel(const T* g, const T* y, T* grad_in, int64_t rows, int64_t len, bool log_) {
  __shared__ double shared[256];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* gr = g + r * len;
    const T* out = y + r * len;
    T* z = grad_in + r * len;
    double s = 0;
    for (int64_t j = threadIdx.x; j < len; j += blockDim.x) s += log_ ? double(gr[j]) : double(gr[j]) * double(out[j]);
    const double sum = block_reduce<false>(s, shared);
    // grad_in may alias g: every thread read its g values above, before block_reduce's barrier
    for (int64_t j = threadIdx.x; j < len; j += blockDim.x) {
      z[j] = log_ ? T(double(gr[j]) - exp(double(out[j])) * sum) : T(double(out[j]) * (double(gr[j]) - sum));
    }
  }
}

// The first row whose target is neither in [0, classes) nor ignore: atomicMin into *bad (INT64_MAX: none).
__global__ void check_targets(const int64_t* target, int64_t ts, int64_t rows, int64_t classes, int64_t ignore,
                              unsigned long long* bad) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < rows; i += int64_t(blockDim.x) * gridDim.x) {
    const int64_t t = target[i * ts];
    if (t != ignore && (t < 0 || t >= classes)) atomicMin(bad, (unsigned long long)i);
  }
}

__global__ void set_none(unsigned long long* bad) { *bad = (unsigned long long)INT64_MAX; }

template <typename T>
__global__ void cross_entropy_kernel(const T* logits, const int64_t* target, int64_t ts, int64_t rows, int64_t classes,
                                     int64_t ignore, double ls, T* losses) {
  __shared__ double shared[256];
  for (int64_t i = blockIdx.x; i < rows; i += gridDim.x) {
    const int64_t t = target[i * ts];
    if (t == ignore) {  // the same for every thread of the block: no barrier is skipped by only some
      if (threadIdx.x == 0) losses[i] = T(0);
      continue;
    }
    const T* x = logits + i * classes;
    double max, sum;
    row_stats(x, classes, shared, max, sum);
    const double lse = max + log(sum);
    double all = 0;  // sum_c logp_c, only with label smoothing
    if (ls != 0) {
      double a = 0;
      for (int64_t c = threadIdx.x; c < classes; c += blockDim.x) a += double(x[c]) - lse;
      all = block_reduce<false>(a, shared);
    }
    if (threadIdx.x == 0) {
      double loss = -(1 - ls) * (double(x[t]) - lse);
      if (ls != 0) loss -= ls / double(classes) * all;
      losses[i] = T(loss);
    }
  }
}

template <typename T>
__global__ void cross_entropy_backward_kernel(const T* logits, const int64_t* target, int64_t ts, const T* g,
                                              int64_t gs, int64_t rows, int64_t classes, int64_t ignore, double ls,
                                              T* grad_logits) {
  __shared__ double shared[256];
  const double smooth = ls / double(classes);
  for (int64_t i = blockIdx.x; i < rows; i += gridDim.x) {
    T* z = grad_logits + i * classes;
    const int64_t t = target[i * ts];
    if (t == ignore) {
      for (int64_t c = threadIdx.x; c < classes; c += blockDim.x) z[c] = T(0);
      continue;
    }
    const T* x = logits + i * classes;
    double max, sum;
    row_stats(x, classes, shared, max, sum);
    const double inv = 1 / sum, gi = g[i * gs];
    for (int64_t c = threadIdx.x; c < classes; c += blockDim.x) {
      const double p = exp(double(x[c]) - max) * inv;
      z[c] = T(gi * (p - (c == t ? 1 - ls : 0) - smooth));
    }
  }
}

template <typename F>
int floats(int dt, F&& f) {
  if (dt == tlc::F32) f(float{});
  else f(double{});
  return tlc::launched();
}

}  // namespace

int tlc_softmax(int dev, int dt, int64_t in, int64_t out, int64_t rows, int64_t len, int log) {
  if (rows == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  return floats(dt, [&](auto tag) {
    using T = decltype(tag);
    softmax_kernel<T><<<blocks_for(rows), threads_for(len), 0, s>>>(
        reinterpret_cast<const T*>(in), reinterpret_cast<T*>(out), rows, len, log != 0);
  });
}

int tlc_softmax_backward(int dev, int dt, int64_t g, int64_t y, int64_t grad_in, int64_t rows, int64_t len, int log) {
  if (rows == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  return floats(dt, [&](auto tag) {
    using T = decltype(tag);
    softmax_backward_kernel<T><<<blocks_for(rows), threads_for(len), 0, s>>>(
        reinterpret_cast<const T*>(g), reinterpret_cast<const T*>(y), reinterpret_cast<T*>(grad_in), rows, len,
        log != 0);
  });
}

int tlc_cross_entropy(int dev, int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t rows,
                      int64_t classes, int64_t ignore_index, double label_smoothing, int64_t losses,
                      int64_t* bad_row) {
  *bad_row = -1;
  if (rows == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  const tlc::Scratch bad(dev, sizeof(unsigned long long));
  if (bad.addr == 0) return int(cudaErrorMemoryAllocation);
  unsigned long long* pbad = bad.as<unsigned long long>();
  const int64_t* t = reinterpret_cast<const int64_t*>(target);
  set_none<<<1, 1, 0, s>>>(pbad);
  check_targets<<<tlc::grid_for(rows), tlc::kThreads, 0, s>>>(t, target_stride, rows, classes, ignore_index, pbad);
  if (int e = tlc::launched()) return e;
  unsigned long long first = 0;
  if (int e = tlc_memcpy_d2h(dev, reinterpret_cast<int64_t>(&first), bad.addr, sizeof first)) return e;
  if (first != (unsigned long long)INT64_MAX) {
    *bad_row = int64_t(first);
    return 0;
  }
  return floats(dt, [&](auto tag) {
    using T = decltype(tag);
    cross_entropy_kernel<T><<<blocks_for(rows), threads_for(classes), 0, s>>>(
        reinterpret_cast<const T*>(logits), t, target_stride, rows, classes, ignore_index, label_smoothing,
        reinterpret_cast<T*>(losses));
  });
}

int tlc_cross_entropy_backward(int dev, int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t g,
                               int64_t g_stride, int64_t rows, int64_t classes, int64_t ignore_index,
                               double label_smoothing, int64_t grad_logits) {
  if (rows == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  return floats(dt, [&](auto tag) {
    using T = decltype(tag);
    cross_entropy_backward_kernel<T><<<blocks_for(rows), threads_for(classes), 0, s>>>(
        reinterpret_cast<const T*>(logits), reinterpret_cast<const int64_t*>(target), target_stride,
        reinterpret_cast<const T*>(g), g_stride, rows, classes, ignore_index, label_smoothing,
        reinterpret_cast<T*>(grad_logits));
  });
}
