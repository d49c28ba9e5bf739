// Batched matrix products: cblas_sgemm/dgemm per matrix on the operands' own memory whenever a row or
// column stride is 1 (a transposed operand is passed as Trans, not copied); other layouts are packed
// into a temporary first. int64 has no BLAS: plain loops.
//
// Threads: see matmul_blas. Results never depend on the pool's thread count, nor on other Java threads.
#include <cblas.h>
#include <stdlib.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <atomic>
#include <condition_variable>
#include <mutex>
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

// How a product is cut into pieces, each one single-threaded cblas call: a batch into its matrices, and a
// large matrix into blocks of rows (or of columns, when it is wider than tall). The cut depends on the
// shapes alone, never on the thread count, so the bits of a product do too.
struct Cut {
  bool rows;     // blocks of rows of A and out; otherwise of columns of B and out
  int64_t step;  // rows or columns per piece (the last piece may have fewer)
  int64_t pieces;
};

// Multiply-adds a pool thread should get at least.
constexpr double kGemmGrain = 64.0 * 64.0 * 64.0;

Cut cut_of(int64_t m, int64_t n, int64_t k) {
  const bool rows = m >= n;
  const int64_t len = rows ? m : n, other = rows ? n : m;
  // Each piece packs the whole unsplit operand (k x other) again, which costs as much as the multiply-adds
  // of a few dozen rows: 256 rows or columns per piece keep that a few percent.
  const int64_t step = std::max<int64_t>(256, int64_t(std::ceil(kGemmGrain / (double(k) * double(other)))));
  if (len < 2 * step) return {rows, std::max<int64_t>(1, len), 1};
  return {rows, step, (len + step - 1) / step};
}

// Pieces [lo, hi) of the batch (piece u: matrix u / cut.pieces, block u % cut.pieces), with temporaries
// of their own for operands BLAS cannot address.
template <typename T>
void matmul_pieces(const T* a, const T* b, T* out, const int64_t* p, const Cut& cut, int64_t lo, int64_t hi) {
  const int64_t m = p[1], n = p[2], k = p[3];
  const int64_t abs_ = p[4], ars = p[5], acs = p[6], bbs = p[7], brs = p[8], bcs = p[9];
  const int64_t obs = p[10], ors = p[11], ocs = p[12];
  // a block of rows (columns) of a matrix BLAS can address is addressable with the same leading dimension
  Operand la = blas_layout(m, k, ars, acs), lb = blas_layout(k, n, brs, bcs), lo_ = blas_layout(m, n, ors, ocs);
  lo_.usable &= !lo_.transposed;  // C must be row-major for CblasRowMajor
  const int64_t pm = cut.rows ? std::min(m, cut.step) : m, pn = cut.rows ? n : std::min(n, cut.step);
  std::vector<T> ta(la.usable ? 0 : pm * k), tb(lb.usable ? 0 : k * pn), to(lo_.usable ? 0 : pm * pn);
  for (int64_t u = lo; u < hi; u++) {
    const int64_t i = u / cut.pieces, first = (u % cut.pieces) * cut.step;
    const int64_t rows = cut.rows ? std::min(cut.step, m - first) : m;
    const int64_t cols = cut.rows ? n : std::min(cut.step, n - first);
    const T* ai = a + i * abs_ + (cut.rows ? first * ars : 0);
    const T* bi = b + i * bbs + (cut.rows ? 0 : first * bcs);
    T* oi = out + i * obs + first * (cut.rows ? ors : ocs);
    if (!la.usable) pack(ai, rows, k, ars, acs, ta.data());
    if (!lb.usable) pack(bi, k, cols, brs, bcs, tb.data());
    T* c = lo_.usable ? oi : to.data();
    const int64_t ldc = lo_.usable ? lo_.ld : std::max<int64_t>(1, cols);
    gemm(T(), la.usable && la.transposed, lb.usable && lb.transposed, rows, cols, k,
         la.usable ? ai : ta.data(), la.usable ? la.ld : std::max<int64_t>(1, k),
         lb.usable ? bi : tb.data(), lb.usable ? lb.ld : std::max<int64_t>(1, cols), c, ldc);
    if (!lo_.usable)
      for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < cols; j++) oi[r * ors + j * ocs] = to[r * cols + j];
  }
}

// OpenBLAS's thread count is one process-wide setting (the pthreads build the presets ship has no
// per-thread count), and its results depend on it: measured with 0.3.31, sgemm/dgemm of 100x1000x100,
// 600x700x600 and 1000^3, among others, differ in the last bits between 1 and 2, 3, 4, 8 or 16 threads.
// Calls that must run on one thread (the pieces of a Cut) set it to 1; calls that run on OpenBLAS's own
// threads (a single product) use the count OpenBLAS has otherwise. The two kinds never overlap: a call
// waits while calls of the other kind run (and, once it waits, no new call of that kind starts), so the
// count a call sees never depends on what other Java threads do at the moment.
class BlasThreads {
 public:
  enum Kind { kOne, kOwn };
  explicit BlasThreads(Kind kind) : kind_(kind) {
    std::unique_lock<std::mutex> lock(m_);
    waiting_[kind]++;
    ready_.wait(lock, [&] { return active_ == 0 || (current_ == kind && waiting_[1 - kind] == 0); });
    waiting_[kind]--;
    if (active_++ == 0) {
      current_ = kind;
      if (kind == kOne) {
        saved_ = openblas_get_num_threads();
        if (saved_ != 1) openblas_set_num_threads(1);
      }
    }
  }
  ~BlasThreads() {
    std::lock_guard<std::mutex> lock(m_);
    if (--active_ > 0) return;
    if (kind_ == kOne && saved_ != 1) openblas_set_num_threads(saved_);
    ready_.notify_all();
  }
  BlasThreads(const BlasThreads&) = delete;
  BlasThreads& operator=(const BlasThreads&) = delete;

 private:
  const Kind kind_;
  static inline std::mutex m_;
  static inline std::condition_variable ready_;
  static inline int active_ = 0, waiting_[2] = {0, 0}, saved_ = 1;
  static inline Kind current_ = kOwn;
};

std::atomic<bool> deterministic{false};

// A single product is one cblas call on OpenBLAS's own threads, unless deterministic algorithms are on
// (tl_set_deterministic): then, like a batch, its pieces (see Cut) are shared among the pool's threads
// (parallel.h), each a single-threaded cblas call, and its bits depend on its shapes only. (Not by default:
// each piece packs a whole operand again where OpenBLAS's threads share theirs; 256 x 256 x 256 in 64-row
// pieces ran at about half the speed of one 2-thread call on the 2-core development machine.)
template <typename T>
void matmul_blas(const T* a, const T* b, T* out, const int64_t* p) {
  const int64_t batch = p[0], m = p[1], n = p[2], k = p[3];
  if (batch == 1 && !deterministic.load(std::memory_order_relaxed)) {
    BlasThreads own(BlasThreads::kOwn);
    matmul_pieces(a, b, out, p, Cut{true, std::max<int64_t>(1, m), 1}, 0, 1);
    return;
  }
  BlasThreads one(BlasThreads::kOne);
  const Cut cut = cut_of(m, n, k);
  const double piece_work =
      double(cut.rows ? std::min(m, cut.step) : m) * double(cut.rows ? n : std::min(n, cut.step)) * double(k);
  const int64_t grain = std::max<int64_t>(1, int64_t(kGemmGrain / piece_work));
  tl::parallel_for(0, batch * cut.pieces, grain,
                   [&](int64_t lo, int64_t hi) { matmul_pieces(a, b, out, p, cut, lo, hi); });
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

void tl_set_deterministic(int on) { deterministic.store(on != 0); }

int tl_get_deterministic() { return deterministic.load() ? 1 : 0; }

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
