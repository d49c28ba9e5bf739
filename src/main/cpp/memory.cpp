// Host memory for tensor storage: 64-byte aligned blocks (whole cache lines, aligned vector loads).
// Blocks of 64 KiB and more are kept on free lists by size class when freed and handed out again, so a
// training loop does not page-fault fresh memory for every large result (glibc returns such blocks to the
// kernel). At most kCacheCap bytes are cached; tl_empty_cache gives them all back.
#include <stdlib.h>
#include <mutex>
#include <unordered_map>
#include <vector>
#include "torchlet.h"

namespace {

constexpr int64_t kCacheMin = int64_t(1) << 16;
constexpr int64_t kCacheCap = int64_t(512) << 20;

std::mutex cache_mutex;
// size class -> free blocks. Never destroyed: a JVM thread may still free tensors while the library's
// static destructors run at exit (and the blocks stay reachable for leak checkers).
auto& cache = *new std::unordered_map<int64_t, std::vector<void*>>();
int64_t cached_bytes = 0;

// Four classes per power of two: at most 25% of a block unused.
int64_t size_class(int64_t nbytes) {
  const int shift = 63 - __builtin_clzll(static_cast<unsigned long long>(nbytes)) - 2;
  const uint64_t quantum = uint64_t(1) << shift;
  // unsigned: sizes near INT64_MAX wrap to an impossible request (posix_memalign fails) instead of UB
  return int64_t((uint64_t(nbytes) + quantum - 1) & ~(quantum - 1));
}

void* aligned(int64_t nbytes) {
  void* p = nullptr;
  return posix_memalign(&p, 64, static_cast<size_t>(nbytes)) == 0 ? p : nullptr;
}

}  // namespace

int64_t tl_alloc(int64_t nbytes) {
  if (nbytes < kCacheMin) return reinterpret_cast<int64_t>(aligned(nbytes > 0 ? nbytes : 64));  // 0 bytes: still unique
  const int64_t size = size_class(nbytes);
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto it = cache.find(size);
    if (it != cache.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      cached_bytes -= size;
      return reinterpret_cast<int64_t>(p);
    }
  }
  return reinterpret_cast<int64_t>(aligned(size));
}

void tl_free(int64_t addr, int64_t nbytes) {
  void* p = reinterpret_cast<void*>(addr);
  if (p != nullptr && nbytes >= kCacheMin) {
    const int64_t size = size_class(nbytes);
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cached_bytes + size <= kCacheCap) {
      cache[size].push_back(p);
      cached_bytes += size;
      return;
    }
  }
  free(p);
}

void tl_empty_cache() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  for (auto& entry : cache)
    for (void* p : entry.second) free(p);
  cache.clear();
  cached_bytes = 0;
}

int64_t tl_cached_bytes() {
  std::lock_guard<std::mutex> lock(cache_mutex);
  return cached_bytes;
}
