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

void worker_main() {
  inside = true;
  uint64_t seen = pool.generation.load();
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
  for (size_t i = 0; i < want; i++) pool.workers.emplace_back(worker_main);
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

void parallel_for_impl(int64_t begin, int64_t end, int64_t grain, RangeFn fn, void* ctx) {
  grain = std::max<int64_t>(1, grain);
  const int64_t n = end - begin;
  std::unique_lock<std::mutex> region(pool.region, std::defer_lock);
  int threads = 1;
  if (!inside && n >= 2 * grain && region.try_lock()) {
    threads = pool.threads;  // stable: set_num_threads needs the region lock
    if (threads <= 1) region.unlock();
  }
  if (threads <= 1) {
    fn(ctx, begin, end);
    return;
  }
  resize_locked();
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
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(pool.m);
    pool.finished.wait(lock, [] { return pool.remaining.load() == 0; });
    error = pool.error;
    pool.error = nullptr;
  }
  region.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace tl

void tl_set_num_threads(int n) { tl::set_num_threads(n); }

int tl_get_num_threads() { return tl::num_threads(); }
