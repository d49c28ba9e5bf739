// Host memory for tensor storage: 64-byte aligned blocks (whole cache lines, aligned vector loads).
// Freed blocks are kept on free lists by size class and handed out again: small blocks because
// posix_memalign costs several times a list pop on the per-op path, large ones (64 KiB and more) so that a
// training loop does not page-fault fresh memory for every large result (glibc returns such blocks to the
// kernel). At most cache_limit bytes are cached: the Java allocator sets it to its GC threshold
// (tl_set_cache_limit), so that the blocks a collection frees, which a loop that leaves its tensors to the
// collector asks for again before the next collection, are reused instead of faulted in fresh (measured:
// 3 ms of a 15 ms MLP step at a 512 MiB limit under the 1 GiB threshold). tl_empty_cache gives them all back.
// In the sanitizer build (TORCHLET_SANITIZE) AddressSanitizer sees through the cache: a block's bytes past
// the nbytes asked for, and every cached block, are poisoned, so a kernel that reaches past its tensor's
// storage or into freed storage is reported even when the block came from the cache.
#include <stdlib.h>
#include <mutex>
#include <vector>
#include "torchlet.h"
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace {

// Marks [p, p + bytes) unaddressable (poison) or addressable again for AddressSanitizer; no-ops otherwise.
void poison(void* p, int64_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_POISON_MEMORY_REGION(p, static_cast<size_t>(bytes));
#else
  (void)p, (void)bytes;
#endif
}
void unpoison(void* p, int64_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_UNPOISON_MEMORY_REGION(p, static_cast<size_t>(bytes));
#else
  (void)p, (void)bytes;
#endif
}

// The block handed out for nbytes: only its first nbytes are addressable to the sanitizer.
int64_t hand_out(void* p, int64_t size, int64_t nbytes) {
  if (p == nullptr) return 0;
  poison(p, size);
  unpoison(p, nbytes);
  return reinterpret_cast<int64_t>(p);
}

constexpr int64_t kMinBlock = 64;
// Four size classes per power of two up to 2^62: index = 4 * floor(log2(size)) + quarter.
constexpr int kClasses = 4 * 63;

std::mutex cache_mutex;
// size class -> free blocks. Never destroyed: a JVM thread may still free tensors while the library's
// static destructors run at exit (and the blocks stay reachable for leak checkers).
auto& cache = *new std::vector<std::vector<void*>>(kClasses);
int64_t cached_bytes = 0;
int64_t cache_limit = int64_t(1) << 30;

// The block size for a request: four classes per power of two, at most 25% of a block unused.
int64_t size_class(int64_t nbytes) {
  if (nbytes <= kMinBlock) return kMinBlock;  // 0 bytes too: every block is unique
  const int shift = 63 - __builtin_clzll(static_cast<unsigned long long>(nbytes)) - 2;
  const uint64_t quantum = uint64_t(1) << shift;
  // unsigned: sizes near INT64_MAX wrap to an impossible request (posix_memalign fails) instead of UB
  return int64_t((uint64_t(nbytes) + quantum - 1) & ~(quantum - 1));
}

// The free list of a size_class() result, or -1 for the impossible sizes that wrapped.
int class_index(int64_t size) {
  if (size <= 0) return -1;
  const int log2 = 63 - __builtin_clzll(static_cast<unsigned long long>(size));
  const int quarter = log2 >= 2 ? int((uint64_t(size) >> (log2 - 2)) & 3) : 0;
  return 4 * log2 + quarter;
}

void* aligned(int64_t nbytes) {
  void* p = nullptr;
  return posix_memalign(&p, 64, static_cast<size_t>(nbytes)) == 0 ? p : nullptr;
}

}  // namespace

int64_t tl_alloc(int64_t nbytes) {
  const int64_t size = size_class(nbytes);
  const int index = class_index(size);
  if (index >= 0) {
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto& blocks = cache[index];
    if (!blocks.empty()) {
      void* p = blocks.back();
      blocks.pop_back();
      cached_bytes -= size;
      return hand_out(p, size, nbytes);
    }
  }
  return index >= 0 ? hand_out(aligned(size), size, nbytes) : 0;
}

void tl_free(int64_t addr, int64_t nbytes) {
  void* p = reinterpret_cast<void*>(addr);
  if (p == nullptr) return;
  const int64_t size = size_class(nbytes);
  const int index = class_index(size);
  if (index >= 0) {
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cached_bytes + size <= cache_limit) {
      poison(p, size);
      cache[index].push_back(p);
      cached_bytes += size;
      return;
    }
  }
  free(p);
}

namespace {
void empty_cache_locked() {
  for (auto& blocks : cache) {
    for (void* p : blocks) free(p);  // AddressSanitizer's free() takes poisoned blocks as they are
    blocks.clear();
  }
  cached_bytes = 0;
}
}  // namespace

void tl_empty_cache() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  empty_cache_locked();
}

void tl_set_cache_limit(int64_t bytes) {
  std::lock_guard<std::mutex> lock(cache_mutex);
  cache_limit = bytes < 0 ? 0 : bytes;
  if (cached_bytes > cache_limit) empty_cache_locked();
}

int64_t tl_cached_bytes() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  return cached_bytes;
}

int tl_sanitized() {
#if defined(__SANITIZE_ADDRESS__)
  return 1;
#else
  return 0;
#endif
}
