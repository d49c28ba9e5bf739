// Batched matrix products: cblas_sgemm/dgemm per matrix on the operands' own memory whenever a row or
// column stride is 1 (a transposed operand is passed as Trans, not copied); other layouts are packed
// into a temporary first. int64 has no BLAS: plain loops.
//
// Threads: a single product is one cblas call on OpenBLAS's own threads; a batch is shared among the
// pool's threads (parallel.h), one single-threaded cblas call per matrix (see matmul_blas).
#include <cblas.h>
#include <stdlib.h>
#include <algorithm>
#include <cstring>
#include <vector>
#include "kernel_util.h"
#include "parallel.h"
#include "torchlet.h"

namespace {

struct Operand {
  bool usable;      // BLAS can read/write it in place
  bool transposed;  // stored column-major: pass CblasTrans
  int64_t ld;
};

// How BLAS can address a rows x cols matrix with these strides. A size-1 dim's stride is arbitrary.
// BLAS takes 32-bit leading dimensions: a larger stride means packing first.
Operand blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  Operand layout{false, false, 0};
  if ((cols == 1 || cs == 1) && (rows == 1 || rs >= std::max<int64_t>(1, cols))) {
    layout = {true, false, rows == 1 ? std::max<int64_t>(1, cols) : rs};
  } else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= std::max<int64_t>(1, rows))) {
    layout = {true, true, cols == 1 ? std::max<int64_t>(1, rows) : cs};
  }
  if (layout.ld > INT32_MAX) layout = {false, false, 0};
  return layout;
}

template <typename T>
void pack(const T* src, int64_t rows, int64_t cols, int64_t rs, int64_t cs, T* dst) {
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) dst[i * cols + j] = src[i * rs + j * cs];
}

inline void gemm(float, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m), int(n), int(k),
              1.0f, a, int(lda), b, int(ldb), 0.0f, c, int(ldc));
}

inline void gemm(double, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
                 const double* b, int64_t ldb, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m), int(n), int(k),
              1.0, a, int(lda), b, int(ldb), 0.0, c, int(ldc));
}

// Matrices [lo, hi) of the batch, with temporaries of their own.
template <typename T>
void matmul_blas_range(const T* a, const T* b, T* out, const int64_t* p, int64_t lo, int64_t hi) {
  const int64_t m = p[1], n = p[2], k = p[3];
  const int64_t abs_ = p[4], ars = p[5], acs = p[6], bbs = p[7], brs = p[8], bcs = p[9];
  const int64_t obs = p[10], ors = p[11], ocs = p[12];
  Operand la = blas_layout(m, k, ars, acs), lb = blas_layout(k, n, brs, bcs), lo_ = blas_layout(m, n, ors, ocs);
  lo_.usable &= !lo_.transposed;  // C must be row-major for CblasRowMajor
  std::vector<T> ta(la.usable ? 0 : m * k), tb(lb.usable ? 0 : k * n), to(lo_.usable ? 0 : m * n);
  for (int64_t i = lo; i < hi; i++) {
    const T* ai = a + i * abs_;
    const T* bi = b + i * bbs;
    T* oi = out + i * obs;
    if (!la.usable) pack(ai, m, k, ars, acs, ta.data());
    if (!lb.usable) pack(bi, k, n, brs, bcs, tb.data());
    T* c = lo_.usable ? oi : to.data();
    const int64_t ldc = lo_.usable ? lo_.ld : std::max<int64_t>(1, n);
    gemm(T(), la.usable && la.transposed, lb.usable && lb.transposed, m, n, k,
         la.usable ? ai : ta.data(), la.usable ? la.ld : std::max<int64_t>(1, k),
         lb.usable ? bi : tb.data(), lb.usable ? lb.ld : std::max<int64_t>(1, n), c, ldc);
    if (!lo_.usable)
      for (int64_t r = 0; r < m; r++)
        for (int64_t j = 0; j < n; j++) oi[r * ors + j * ocs] = to[r * n + j];
  }
}

// Multiply-adds a pool thread should get at least.
constexpr double kGemmGrain = 64.0 * 64.0 * 64.0;

// One matrix: one cblas call, which OpenBLAS spreads over its own threads (a process-wide count,
// OPENBLAS_NUM_THREADS, not torchlet's setNumThreads: splitting one product into tiles of our own ran at
// 65-70% of a single threaded cblas call). A batch: the pool shares the matrices, each one cblas call
// with OpenBLAS held to one thread (BlasSingleThreaded), so bmm's bits depend on the shapes only.
template <typename T>
void matmul_blas(const T* a, const T* b, T* out, const int64_t* p) {
  const int64_t batch = p[0], m = p[1], n = p[2], k = p[3];
  if (batch == 1) {
    matmul_blas_range(a, b, out, p, 0, 1);
    return;
  }
  tl::BlasSingleThreaded one_blas_thread;
  const int64_t grain = std::max<int64_t>(1, int64_t(kGemmGrain / (double(m) * double(n) * double(k))));
  tl::parallel_for(0, batch, grain, [&](int64_t lo, int64_t hi) { matmul_blas_range(a, b, out, p, lo, hi); });
}

// Rows of all matrices are shared among the pool's threads.
void matmul_int64(const int64_t* a, const int64_t* b, int64_t* out, const int64_t* p) {
  const int64_t m = p[1], n = p[2], k = p[3];
  tl::parallel_for(0, p[0] * m, std::max<int64_t>(1, tl::kGrain / std::max<int64_t>(1, n * k)),
                   [&](int64_t lo, int64_t hi) {
    for (int64_t row = lo; row < hi; row++) {
      const int64_t i = row / m, r = row % m;
      int64_t* o = out + i * p[10] + r * p[11];
      for (int64_t j = 0; j < n; j++) o[j * p[12]] = 0;
      for (int64_t q = 0; q < k; q++) {
        const uint64_t x = uint64_t(a[i * p[4] + r * p[5] + q * p[6]]);
        const int64_t* brow = b + i * p[7] + q * p[8];
        // wrapping, like PyTorch's integer matmul
        for (int64_t j = 0; j < n; j++) o[j * p[12]] = int64_t(uint64_t(o[j * p[12]]) + x * uint64_t(brow[j * p[9]]));
      }
    }
  });
}

template <typename T>
void fill_zero(T* out, const int64_t* p) {
  for (int64_t i = 0; i < p[0]; i++)
    for (int64_t r = 0; r < p[1]; r++)
      for (int64_t j = 0; j < p[2]; j++) out[i * p[10] + r * p[11] + j * p[12]] = T(0);
}

}  // namespace

void tl_matmul(int dt, int64_t a, int64_t b, int64_t out, const int64_t* meta) {
  if (meta[0] == 0 || meta[1] == 0 || meta[2] == 0) return;
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    T* o = reinterpret_cast<T*>(out);
    if (meta[3] == 0) {  // empty inner dimension: the sum of nothing
      fill_zero(o, meta);
    } else if constexpr (std::is_floating_point_v<T>) {
      matmul_blas<T>(reinterpret_cast<const T*>(a), reinterpret_cast<const T*>(b), o, meta);
    } else if constexpr (std::is_same_v<T, int64_t>) {
      matmul_int64(reinterpret_cast<const int64_t*>(a), reinterpret_cast<const int64_t*>(b), o, meta);
    }
  });
}
