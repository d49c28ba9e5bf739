// The thread pool (parallel.h) and thread-count independence: parallel_for covers every index exactly
// once in pieces of at least the grain, nested calls run serially, exceptions come back to the caller,
// several threads may call at once; elementwise kernels, reductions (one chunk and many), batched matmul
// and, in deterministic mode, a single matmul give the same bits for 1, 2, 3 and 8 threads.
#include <cblas.h>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include "harness.h"
#include "parallel.h"

namespace th {
namespace {

const int kCounts[] = {1, 2, 3, 8};

void check_cover(int64_t begin, int64_t end, int64_t grain) {
  std::vector<std::atomic<int>> hits(size_t(std::max<int64_t>(0, end - begin)));
  std::atomic<int> pieces{0}, short_pieces{0};
  tl::parallel_for(begin, end, grain, [&](int64_t lo, int64_t hi) {
    pieces++;
    if (hi - lo < grain) short_pieces++;
    for (int64_t i = lo; i < hi; i++) hits[size_t(i - begin)]++;
  });
  bool once = true;
  for (auto& h : hits) once &= h.load() == 1;
  CHECK(once, "parallel_for(%lld, %lld, grain %lld) with %d threads: some index not visited exactly once",
        (long long)begin, (long long)end, (long long)grain, tl::num_threads());
  CHECK(pieces <= std::max(1, tl::num_threads()) && (pieces == 1 || short_pieces == 0),
        "parallel_for(%lld, %lld, grain %lld): %d pieces, %d below the grain", (long long)begin, (long long)end,
        (long long)grain, pieces.load(), short_pieces.load());
}

void test_pool() {
  // new workers take the first region published after they were made, even before their thread first runs:
  // piece 0 waits (up to 2 s) for piece 1 to start on another thread (a thread that misses the region leaves
  // both pieces to the caller, one after the other)
  tl_set_parallel_grain_scale(1);
  int missed = 0;
  for (int i = 0; i < 20; i++) {
    tl::set_num_threads(2 + i % 2);
    std::thread::id first, second;
    std::atomic<bool> second_started{false};
    tl::parallel_for(0, 2, 1, [&](int64_t lo, int64_t) {
      if (lo == 1) {
        second = std::this_thread::get_id();
        second_started = true;
        return;
      }
      first = std::this_thread::get_id();
      for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
           !second_started && std::chrono::steady_clock::now() < until;)
        std::this_thread::yield();
    });
    if (first == second) missed++;
  }
  CHECK(missed == 0, "new workers missed their first region %d times in 20", missed);
  for (int t : kCounts) {
    tl::set_num_threads(t);
    CHECK(tl::num_threads() == t && tl_get_num_threads() == t, "num_threads %d after set %d", tl::num_threads(), t);
    for (int64_t grain : {1, 2, 7, 1000})
      for (int64_t n : {int64_t(0), int64_t(1), grain - 1, grain, 2 * grain - 1, 2 * grain, 2 * grain + 1,
                        3 * grain + 2, 8 * grain, 8 * grain + 5, 100 * grain + 3})
        check_cover(5, 5 + n, grain);
    // nested: the inner call runs serially, on the thread of the outer piece
    std::atomic<int> bad{0};
    tl::parallel_for(0, 64, 1, [&](int64_t lo, int64_t hi) {
      const auto me = std::this_thread::get_id();
      if (!tl::in_parallel_region() && t > 1) bad++;
      int inner = 0;
      tl::parallel_for(0, 1000, 1, [&](int64_t a, int64_t b) {
        inner++;
        if (std::this_thread::get_id() != me || a != 0 || b != 1000) bad++;
      });
      if (inner != 1) bad++;
      (void)lo, (void)hi;
    });
    CHECK(bad == 0, "nested parallel_for with %d threads: not serial", t);
    CHECK(!tl::in_parallel_region(), "in_parallel_region() after the region");
    // an exception on any piece reaches the caller; the pool stays usable
    bool caught = false;
    try {
      tl::parallel_for(0, 100, 1, [&](int64_t lo, int64_t) {
        if (lo > 0 || t == 1) throw std::runtime_error("piece");
      });
    } catch (const std::runtime_error&) {
      caught = true;
    }
    CHECK(caught, "exception from a piece with %d threads not rethrown", t);
    check_cover(0, 12345, 10);
  }
  // several threads at once (as several JVM threads): each gets every index exactly once, no deadlock
  tl::set_num_threads(3);
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; c++)
    callers.emplace_back([&] {
      for (int rep = 0; rep < 200; rep++) {
        std::vector<int> hits(5000, 0);  // disjoint pieces: plain ints suffice
        tl::parallel_for(0, 5000, 100, [&](int64_t lo, int64_t hi) {
          for (int64_t i = lo; i < hi; i++) hits[size_t(i)]++;
        });
        for (int h : hits) wrong += h != 1;
      }
    });
  for (auto& c : callers) c.join();
  CHECK(wrong == 0, "concurrent parallel_for callers: %d indices not visited exactly once", wrong.load());
}

// The measured factor is a power of 2 in [1, 64]; a fixed factor s makes every piece at least s * grain and
// keeps ranges below 2 * s * grain on one piece.
void test_grain_scale() {
  tl::set_num_threads(2);
  tl::set_grain_scale(0);
  const int measured = tl::grain_scale();
  CHECK(measured >= 1 && measured <= 64 && (measured & (measured - 1)) == 0, "measured grain scale %d", measured);
  CHECK(tl_get_parallel_grain_scale() == measured, "tl_get_parallel_grain_scale %d, measured %d",
        tl_get_parallel_grain_scale(), measured);
  std::printf("  grain scale measured here: %d\n", measured);
  for (int scale : {1, 4}) {
    tl_set_parallel_grain_scale(scale);
    CHECK(tl::grain_scale() == scale, "grain scale %d after setting %d", tl::grain_scale(), scale);
    for (int64_t n : {int64_t(1000), int64_t(7999), int64_t(8000), int64_t(8001), int64_t(100000)}) {
      std::atomic<int> pieces{0}, short_pieces{0};
      std::atomic<int64_t> covered{0};
      tl::parallel_for(0, n, 1000, [&](int64_t lo, int64_t hi) {
        pieces++;
        if (hi - lo < 1000 * scale) short_pieces++;
        covered += hi - lo;
      });
      const int want = n >= 2000 * scale ? 2 : 1;
      CHECK(pieces == want && covered == n && (pieces == 1 || short_pieces == 0),
            "scale %d, n %lld, grain 1000: %d pieces (want %d), %d short, %lld covered", scale, (long long)n,
            pieces.load(), want, short_pieces.load(), (long long)covered.load());
    }
  }
  tl_set_parallel_grain_scale(1);  // the other tests cut small ranges
}

template <typename T> std::vector<T> random_data(int64_t n, uint64_t seed, bool specials) {
  Rng r(seed);
  std::vector<T> v(static_cast<size_t>(n));
  for (auto& x : v) {
    if constexpr (std::is_floating_point_v<T>) x = specials ? random_value<T>(r) : T((r.uniform() * 2 - 1) * 100);
    else x = random_value<T>(r);
  }
  return v;
}

// runs f() under every thread count: the bytes it returns must be the same
void same_bytes_for_all_counts(const char* what, const std::function<std::vector<char>()>& f) {
  tl::set_num_threads(1);
  const std::vector<char> want = f();
  for (int t : kCounts) {
    tl::set_num_threads(t);
    CHECK(f() == want, "%s: %d threads give other bits than 1 thread", what, t);
  }
}

template <typename T> std::vector<char> bytes(const Buf& b, int64_t n) {
  const char* p = reinterpret_cast<const char*>(b.addr);
  return std::vector<char>(p, p + n * int64_t(sizeof(T)));
}

void test_reduce_threads() {
  // [rows, cols] float inputs, reduced over all, dim 0 (column path), dim 1; sizes from one chunk to many
  struct Case { int64_t rows, cols; };
  for (Case cs : {Case{1000, 300}, Case{70000, 3}, Case{3, 100000}, Case{2, 1 << 16}, Case{100, 1500}}) {
    const int64_t n = cs.rows * cs.cols;
    for_each_dtype([&](auto tag) {
      using T = decltype(tag);
      const auto x = random_data<T>(n, uint64_t(n) * 7 + dt_of<T>(), false);
      Buf in(n * int64_t(sizeof(T)));
      std::memcpy(reinterpret_cast<void*>(in.addr), x.data(), size_t(n) * sizeof(T));
      for (int op = TL_SUM; op <= TL_ARGMIN; op++) {
        if (op == TL_MEAN && !std::is_floating_point_v<T>) continue;
        if (std::is_same_v<T, boolean> && op != TL_SUM) continue;
        for (int which = 0; which < 3; which++) {  // 0: all, 1: dim 0, 2: dim 1
          std::vector<int64_t> meta;
          int64_t outs;
          if (which == 0) meta = {0, 2, cs.rows, cs.cols, cs.cols, 1}, outs = 1;
          else if (which == 1) meta = {1, 1, cs.cols, cs.rows, 1, cs.cols, 1, 1}, outs = cs.cols;
          else meta = {1, 1, cs.rows, cs.cols, cs.cols, 1, 1, 1}, outs = cs.rows;
          char what[160];
          std::snprintf(what, sizeof what, "tl_reduce %s %s of [%lld, %lld] over %s", reduce_name(op),
                        dt_name(dt_of<T>()), (long long)cs.rows, (long long)cs.cols,
                        which == 0 ? "all" : which == 1 ? "dim 0" : "dim 1");
          same_bytes_for_all_counts(what, [&] {
            Buf out(outs * 8), idx(outs * 8);
            std::memset(reinterpret_cast<void*>(out.addr), 0, size_t(outs) * 8);
            tl_reduce(op, dt_of<T>(), in.addr, op >= TL_ARGMAX ? 0 : out.addr, op >= TL_MAX ? idx.addr : 0,
                      meta.data());
            std::vector<char> r = bytes<char>(out, outs * 8), i = bytes<char>(idx, op >= TL_MAX ? outs * 8 : 0);
            r.insert(r.end(), i.begin(), i.end());
            return r;
          });
        }
      }
    });
  }
  // many chunks: the sum stays close to the exact one, max/argmax exact (the first extreme, NaN first)
  const int64_t n = 1000003;
  auto x = random_data<float>(n, 99, false);
  x[700001] = 1e6f;
  x[900000] = 1e6f;
  Buf in(n * 4), out(8), idx(8);
  std::memcpy(reinterpret_cast<void*>(in.addr), x.data(), size_t(n) * 4);
  double exact = 0;
  for (float v : x) exact += v;
  const std::vector<int64_t> meta{0, 1, n, 1};
  for (int t : kCounts) {
    tl::set_num_threads(t);
    tl_reduce(TL_SUM, F32, in.addr, out.addr, 0, meta.data());
    CHECK(out.as<float>()[0] == float(exact), "sum of %lld floats: %s, exact %s", (long long)n,
          show(out.as<float>()[0]).c_str(), show(float(exact)).c_str());
    tl_reduce(TL_MAX, F32, in.addr, out.addr, idx.addr, meta.data());
    CHECK(out.as<float>()[0] == 1e6f && idx.as<int64_t>()[0] == 700001, "max of many chunks: %s at %lld",
          show(out.as<float>()[0]).c_str(), (long long)idx.as<int64_t>()[0]);
  }
  x[800000] = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(reinterpret_cast<void*>(in.addr), x.data(), size_t(n) * 4);
  for (int t : kCounts) {
    tl::set_num_threads(t);
    tl_reduce(TL_ARGMAX, F32, in.addr, 0, idx.addr, meta.data());
    CHECK(idx.as<int64_t>()[0] == 800000, "argmax with a NaN in a later chunk: %lld", (long long)idx.as<int64_t>()[0]);
  }
}

void test_elementwise_matmul_threads() {
  // [512, 700] + [700] (row broadcast), exp of a transposed view, copy of a transposed view
  const int64_t r = 512, c = 700, n = r * c;
  const auto x = random_data<float>(n, 5, true), y = random_data<float>(c, 6, true);
  Buf a(n * 4), b(c * 4);
  std::memcpy(reinterpret_cast<void*>(a.addr), x.data(), size_t(n) * 4);
  std::memcpy(reinterpret_cast<void*>(b.addr), y.data(), size_t(c) * 4);
  same_bytes_for_all_counts("tl_binary ADD [512, 700] + [700]", [&] {
    Buf out(n * 4);
    auto meta = elementwise_meta({r, c}, {{c, 1}, {0, 1}, {c, 1}});
    tl_binary(TL_ADD, F32, a.addr, b.addr, out.addr, n, meta.data());
    for (int64_t i = 0; i < n; i++)
      if (!same(out.as<float>()[i], x[size_t(i)] + y[size_t(i % c)])) return std::vector<char>{'x'};
    return bytes<float>(out, n);
  });
  same_bytes_for_all_counts("tl_unary EXP of a transposed view", [&] {
    Buf out(n * 4);
    auto meta = elementwise_meta({c, r}, {{1, c}, {r, 1}});
    tl_unary(TL_EXP, F32, a.addr, out.addr, n, meta.data());
    return bytes<float>(out, n);
  });
  same_bytes_for_all_counts("tl_copy of a transposed view", [&] {
    auto meta = elementwise_meta({c, r}, {{1, c}, {r, 1}});
    Buf out(n * 8);
    tl_copy(F32, F64, a.addr, out.addr, n, meta.data());
    for (int64_t i = 0; i < c; i++)
      for (int64_t j = 0; j < r; j++)
        if (!same(out.as<double>()[i * r + j], double(x[size_t(j * c + i)]))) return std::vector<char>{'x'};
    return bytes<double>(out, n);
  });
  // bmm [64, 96, 80] x [64, 80, 72], float32, float64 (across the batch) and int64 (across rows)
  for_each_dtype([&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, boolean>) {
      const int64_t B = 64, M = 96, K = 80, N = 72;
      const auto p = random_data<T>(B * M * K, 7, false), q = random_data<T>(B * K * N, 8, false);
      Buf pa(B * M * K * 8), qb(B * K * N * 8);
      std::memcpy(reinterpret_cast<void*>(pa.addr), p.data(), p.size() * sizeof(T));
      std::memcpy(reinterpret_cast<void*>(qb.addr), q.data(), q.size() * sizeof(T));
      const int64_t meta[] = {B, M, N, K, M * K, K, 1, K * N, N, 1, M * N, N, 1};
      char what[64];
      std::snprintf(what, sizeof what, "tl_matmul %s [64, 96, 80] x [64, 80, 72]", dt_name(dt_of<T>()));
      same_bytes_for_all_counts(what, [&] {
        Buf o(B * M * N * 8);
        tl_matmul(dt_of<T>(), pa.addr, qb.addr, o.addr, meta);
        return bytes<T>(o, B * M * N);
      });
    }
  });
  // Deterministic mode: one [600, 700] x [700, 600] product (OpenBLAS 0.3.31 gives other bits on 1 and 2
  // of its threads for it) cut into pieces: the same bits for any pool count and any OpenBLAS count, which
  // comes back afterwards.
  for_each_dtype([&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const int64_t M = 600, K = 700, N = 600;
      const auto p = random_data<T>(M * K, 9, false), q = random_data<T>(K * N, 10, false);
      Buf pa(M * K * 8), qb(K * N * 8);
      std::memcpy(reinterpret_cast<void*>(pa.addr), p.data(), p.size() * sizeof(T));
      std::memcpy(reinterpret_cast<void*>(qb.addr), q.data(), q.size() * sizeof(T));
      const int64_t meta[] = {1, M, N, K, 0, K, 1, 0, N, 1, 0, N, 1};
      auto product = [&] {
        Buf o(M * N * 8);
        tl_matmul(dt_of<T>(), pa.addr, qb.addr, o.addr, meta);
        return bytes<T>(o, M * N);
      };
      const int saved_blas = openblas_get_num_threads();
      tl_set_deterministic(1);
      openblas_set_num_threads(1);
      const std::vector<char> want = product();
      for (int blas : {2, 3}) {
        openblas_set_num_threads(blas);
        char what[96];
        std::snprintf(what, sizeof what, "deterministic tl_matmul %s [600, 700] x [700, 600], OpenBLAS on %d threads",
                      dt_name(dt_of<T>()), blas);
        same_bytes_for_all_counts(what, product);
        CHECK(product() == want, "%s: other bits than OpenBLAS on 1 thread", what);
        CHECK(openblas_get_num_threads() == blas, "OpenBLAS's count %d after deterministic matmul, was %d",
              openblas_get_num_threads(), blas);
      }
      tl_set_deterministic(0);
      openblas_set_num_threads(saved_blas);
    }
  });
}

}  // namespace

void test_parallel() {
  const int saved = tl::num_threads();
  auto timed = [](const char* what, void (*f)()) {
    const auto start = std::chrono::steady_clock::now();
    f();
    std::printf("  %s %.0f ms\n", what,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  };
  timed("grain scale", test_grain_scale);
  timed("pool", test_pool);
  timed("reductions", test_reduce_threads);
  timed("elementwise, matmul", test_elementwise_matmul_threads);
  tl::set_num_threads(saved);
}

}  // namespace th
