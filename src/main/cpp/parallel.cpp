// The intra-op thread pool (see parallel.h): num_threads() - 1 persistent workers plus the calling thread.
// One region at a time: a caller takes the region lock with try_lock, and runs serially when it is held
// (another JVM thread's region) or when it is itself inside a region (nested call). Workers claim pieces
// with an atomic counter; the caller claims pieces too, then waits until every piece is done and no
// worker still looks at the job. Threads are plain std::thread (no OpenMP runtime to ship).
#include "parallel.h"
#include <sched.h>
#include <stdio.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#include "torchlet.h"

namespace tl {
namespace {

// CPUs this process may run on: its affinity mask, capped by a cgroup v2 CPU quota (containers).
int default_threads() {
  int n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) n = CPU_COUNT(&set);
  if (n <= 0) n = int(std::thread::hardware_concurrency());
  if (FILE* f = fopen("/sys/fs/cgroup/cpu.max", "r")) {
    long long quota = 0, period = 0;
    if (fscanf(f, "%lld %lld", &quota, &period) == 2 && quota > 0 && period > 0)
      n = std::min<long long>(n, std::max<long long>(1, (quota + period - 1) / period));
    fclose(f);
  }
  return std::max(1, n);
}

struct Pool {
  std::mutex region;  // held by the thread whose region runs
  std::mutex m;       // guards everything below except the atomics
  std::condition_variable wake, finished;
  std::vector<std::thread> workers;
  int threads = default_threads();
  bool stop = false;
  std::atomic<uint64_t> generation{0};
  int active = 0;  // workers between taking the job and leaving it
  // the job of the current generation
  RangeFn fn = nullptr;
  void* ctx = nullptr;
  int64_t begin = 0, size = 0, extra = 0;  // piece i: size + (i < extra) indices
  int pieces = 0;
  std::atomic<int> next{0}, remaining{0};
  std::exception_ptr error;
  // Every region's grain is multiplied by this (see measured_grain_scale); 0: not measured yet.
  int grain_scale = 0;
  int forced_grain_scale = 0;  // tl_set_parallel_grain_scale; 0: measure
};
// Never destroyed: JVM threads may still run kernels while static destructors run at exit.
Pool& pool = *new Pool();
thread_local bool inside = false;

// Claims and runs pieces of the current job until none is left; returns after the last piece it ran.
void run_pieces(RangeFn fn, void* ctx, int64_t begin, int64_t size, int64_t extra, int pieces) {
  for (int i; (i = pool.next.fetch_add(1)) < pieces;) {
    const int64_t lo = begin + i * size + std::min<int64_t>(i, extra), hi = lo + size + (i < extra ? 1 : 0);
    try {
      fn(ctx, lo, hi);
    } catch (...) {
      std::lock_guard<std::mutex> lock(pool.m);
      if (!pool.error) pool.error = std::current_exception();
    }
    if (pool.remaining.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(pool.m);
      pool.finished.notify_all();
    }
  }
}

// seen: the generation when the worker was made, so that it may take any job published later (read in the
// thread instead, a job published before the thread first ran was missed).
void worker_main(uint64_t seen) {
  inside = true;
  for (;;) {
    // a short spin first: back-to-back kernels reuse an awake worker
    for (int spin = 0; spin < 1000 && pool.generation.load(std::memory_order_acquire) == seen; spin++)
      __builtin_ia32_pause();
    RangeFn fn;
    void* ctx;
    int64_t begin, size, extra;
    int pieces;
    {
      std::unique_lock<std::mutex> lock(pool.m);
      pool.wake.wait(lock, [&] { return pool.stop || pool.generation.load() != seen; });
      if (pool.stop) return;
      seen = pool.generation.load();
      if (pool.next.load() >= pool.pieces) continue;  // woke late: nothing left of that job
      fn = pool.fn, ctx = pool.ctx, begin = pool.begin, size = pool.size, extra = pool.extra, pieces = pool.pieces;
      pool.active++;
    }
    run_pieces(fn, ctx, begin, size, extra, pieces);
    std::lock_guard<std::mutex> lock(pool.m);
    if (--pool.active == 0) pool.finished.notify_all();
  }
}

// Under the region lock: workers = threads - 1.
void resize_locked() {
  const size_t want = size_t(pool.threads - 1);
  if (pool.workers.size() == want) return;
  {
    std::lock_guard<std::mutex> lock(pool.m);
    pool.stop = true;
  }
  pool.wake.notify_all();
  for (auto& t : pool.workers) t.join();
  pool.workers.clear();
  pool.stop = false;
  for (size_t i = 0; i < want; i++) pool.workers.emplace_back(worker_main, pool.generation.load());
}

// Under the region lock, with threads > 1 and the workers started: runs fn over [begin, begin + n) in
// pieces of at least grain on the caller and the workers; returns what a piece threw, if anything.
std::exception_ptr run_locked(int64_t begin, int64_t n, int64_t grain, int threads, RangeFn fn, void* ctx) {
  // pieces of n / pieces or one more indices: each at least the grain
  const int pieces = int(std::min<int64_t>(threads, n / grain));
  {
    std::unique_lock<std::mutex> lock(pool.m);
    // workers still inside the last job (its pieces are all done) may read the job: let them leave first
    pool.finished.wait(lock, [] { return pool.active == 0; });
    pool.fn = fn, pool.ctx = ctx, pool.begin = begin, pool.size = n / pieces, pool.extra = n % pieces;
    pool.pieces = pieces;
    pool.next.store(0);
    pool.remaining.store(pieces);
    pool.error = nullptr;
    pool.generation.fetch_add(1, std::memory_order_release);
  }
  if (pieces - 1 < int(pool.workers.size()))
    for (int i = 1; i < pieces; i++) pool.wake.notify_one();
  else
    pool.wake.notify_all();
  inside = true;
  run_pieces(fn, ctx, begin, n / pieces, n % pieces, pieces);
  inside = false;
  std::unique_lock<std::mutex> lock(pool.m);
  pool.finished.wait(lock, [] { return pool.remaining.load() == 0; });
  std::exception_ptr error = pool.error;
  pool.error = nullptr;
  return error;
}

// Waking a sleeping worker takes a few microseconds on bare metal but 50 to 100 on a virtual machine that
// halts an idle vCPU (the wake goes through the hypervisor). A grain sized for the first makes mid-sized
// ops slower than one thread on the second (measured: W6's ReLUs, bias adds and SGD, 256K to 1M elements).
// So the pool times the wake of a sleeping worker (the median of 5, the caller busy meanwhile, as between
// two ops) and scales the grain to keep a piece's work (kGrain: about 10 us) at twice the wake or more:
// 1 for a wake up to 5 us, then powers of 2, at most 64. Under the region lock, workers started.
using Clock = std::chrono::steady_clock;
constexpr std::chrono::nanoseconds kWakeGiveUp = std::chrono::milliseconds(2);

int measured_grain_scale() {
  struct Probe {
    Clock::time_point start;
    std::atomic<int64_t> woke_ns{-1};
  };
  int64_t wakes[5];
  for (int64_t& wake : wakes) {
    // long enough for the worker to leave its spin and sleep
    for (const auto until = Clock::now() + std::chrono::microseconds(300); Clock::now() < until;)
      __builtin_ia32_pause();
    Probe probe;
    probe.start = Clock::now();
    run_locked(0, 2, 1, 2, [](void* ctx, int64_t lo, int64_t) {
      Probe& p = *static_cast<Probe*>(ctx);
      if (lo == 1) {  // the second piece, taken by the worker unless it wakes after 2 ms
        p.woke_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - p.start).count();
        return;
      }
      while (p.woke_ns.load() < 0 && Clock::now() - p.start < kWakeGiveUp) __builtin_ia32_pause();
    }, &probe);
    wake = probe.woke_ns.load() < 0 ? kWakeGiveUp.count() : probe.woke_ns.load();
  }
  std::sort(wakes, wakes + 5);
  int scale = 1;
  while (scale < 64 && scale * int64_t(5000) < wakes[2]) scale *= 2;
  return scale;
}

// Under the region lock, workers started.
int grain_scale_locked() {
  if (pool.forced_grain_scale > 0) return pool.forced_grain_scale;
  if (pool.grain_scale == 0) pool.grain_scale = measured_grain_scale();
  return pool.grain_scale;
}

}  // namespace

int num_threads() {
  std::lock_guard<std::mutex> lock(pool.m);
  return pool.threads;
}

void set_num_threads(int n) {
  n = std::max(1, n);
  {
    std::lock_guard<std::mutex> region(pool.region);
    {
      std::lock_guard<std::mutex> lock(pool.m);
      pool.threads = n;
    }
    resize_locked();
  }
}

bool in_parallel_region() { return inside; }

void set_grain_scale(int scale) {
  std::lock_guard<std::mutex> region(pool.region);
  pool.forced_grain_scale = std::max(0, scale);
}

int grain_scale() {
  std::lock_guard<std::mutex> region(pool.region);
  if (pool.threads <= 1 && pool.forced_grain_scale == 0) return std::max(1, pool.grain_scale);  // no worker to time
  resize_locked();
  return grain_scale_locked();
}

void parallel_for_impl(int64_t begin, int64_t end, int64_t grain, RangeFn fn, void* ctx) {
  grain = std::max<int64_t>(1, grain);
  const int64_t n = end - begin;
  std::unique_lock<std::mutex> region(pool.region, std::defer_lock);
  int threads = 1;
  if (!inside && n >= 2 * grain && region.try_lock()) {
    threads = pool.threads;  // stable: set_num_threads needs the region lock
    if (threads > 1) {
      resize_locked();
      grain *= grain_scale_locked();
      if (n < 2 * grain) threads = 1;
    }
    if (threads <= 1) region.unlock();
  }
  if (threads <= 1) {
    fn(ctx, begin, end);
    return;
  }
  std::exception_ptr error = run_locked(begin, n, grain, threads, fn, ctx);
  region.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace tl

void tl_set_num_threads(int n) { tl::set_num_threads(n); }

int tl_get_num_threads() { return tl::num_threads(); }

void tl_set_parallel_grain_scale(int scale) { tl::set_grain_scale(scale); }

int tl_get_parallel_grain_scale() { return tl::grain_scale(); }
