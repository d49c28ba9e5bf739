// Intra-op parallelism of the CPU kernels: one small persistent pool (parallel.cpp). Internal, not part
// of the ABI (tl_set_num_threads / tl_get_num_threads in torchlet.h are).
//
// parallel_for(begin, end, grain, fn) calls fn(lo, hi) on disjoint pieces that cover [begin, end) exactly
// once: on the calling thread and up to num_threads() - 1 pool workers, in at most num_threads() pieces of
// at least `grain * grain_scale()` indices each (one piece, on the caller, when the range is below twice
// that; grain_scale() is measured on this machine, see parallel.cpp). It runs
// serially, on the caller, when num_threads() is 1, when called from inside a parallel region (nested),
// or when another thread holds the pool at that moment: several JVM threads may call kernels at once, and
// none ever waits for another's region. An exception thrown by fn on a worker is caught there and thrown
// again on the caller once every piece has finished.
//
// Results must never depend on how the range was cut: kernels that combine values (reductions) cut their
// work into fixed-size chunks of their own and combine the chunk results in a fixed order.
#pragma once
#include <stdint.h>
#include <utility>

namespace tl {

// The default grain of elementwise kernels, in elements, for a machine where waking a worker costs a few
// microseconds (32K float adds take about 10); grain_scale() raises it where a wake costs more.
constexpr int64_t kGrain = int64_t(1) << 15;

int num_threads();
// n >= 1.
void set_num_threads(int n);
// The factor applied to every region's grain: set by set_grain_scale (> 0), else measured once, when the
// workers first run (1 where waking a worker takes up to 5 us, then powers of 2 up to 64).
int grain_scale();
// scale > 0 fixes the factor (tests use 1 to cut small ranges); 0 goes back to the measured one.
void set_grain_scale(int scale);
// True on a pool worker, and on a caller while it runs its own region.
bool in_parallel_region();

using RangeFn = void (*)(void* ctx, int64_t lo, int64_t hi);
void parallel_for_impl(int64_t begin, int64_t end, int64_t grain, RangeFn fn, void* ctx);

template <typename F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, F&& f) {
  if (end <= begin) return;
  if (end - begin < 2 * grain) {  // the common small case: no pool, no indirection
    f(begin, end);
    return;
  }
  using Fn = std::remove_reference_t<F>;
  parallel_for_impl(begin, end, grain,
                    [](void* ctx, int64_t lo, int64_t hi) { (*static_cast<Fn*>(ctx))(lo, hi); },
                    const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace tl
