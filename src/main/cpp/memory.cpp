// Host memory for tensor storage: 64-byte aligned blocks (whole cache lines, aligned vector loads).
#include <stdlib.h>
#include "torchlet.h"

int64_t tl_alloc(int64_t nbytes) {
  void* p = nullptr;
  // 0-byte tensors still get a unique valid address
  if (posix_memalign(&p, 64, nbytes > 0 ? static_cast<size_t>(nbytes) : 64) != 0) return 0;
  return reinterpret_cast<int64_t>(p);
}

void tl_free(int64_t addr) { free(reinterpret_cast<void*>(addr)); }
