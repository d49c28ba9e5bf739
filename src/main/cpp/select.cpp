// Selection kernels: where (elementwise choice by a mask) and scatter along rows (the gradient of sort
// and max/min along a dim).
#include "kernel_util.h"
#include "torchlet.h"

void tl_where(int dt, int64_t cond, int64_t a, int64_t b, int64_t out, int64_t n, const int64_t* meta) {
  tl::dispatch(dt, [&](auto zero) {
    using T = decltype(zero);
    tl::for_each_run<4>(n, meta,
                        {reinterpret_cast<char*>(cond), reinterpret_cast<char*>(a), reinterpret_cast<char*>(b),
                         reinterpret_cast<char*>(out)},
                        {1, sizeof(T), sizeof(T), sizeof(T)},
                        [](std::array<char*, 4> p, int64_t count, std::array<int64_t, 4> s) {
      const tl::boolean* c = reinterpret_cast<const tl::boolean*>(p[0]);
      const T* x = reinterpret_cast<const T*>(p[1]);
      const T* y = reinterpret_cast<const T*>(p[2]);
      T* z = reinterpret_cast<T*>(p[3]);
      for (int64_t i = 0; i < count; i++) z[i * s[3]] = c[i * s[0]] ? x[i * s[1]] : y[i * s[2]];
    });
  });
}

int64_t tl_scatter_rows(int dt, int64_t src, int64_t index, int64_t out, int64_t rows, int64_t m, int64_t n) {
  const int64_t* idx = reinterpret_cast<const int64_t*>(index);
  for (int64_t j = 0; j < rows * m; j++)
    if (idx[j] < 0 || idx[j] >= n) return j;
  tl::dispatch(dt, [&](auto zero) {
    using T = decltype(zero);
    const T* s = reinterpret_cast<const T*>(src);
    T* o = reinterpret_cast<T*>(out);
    for (int64_t r = 0; r < rows; r++)
      for (int64_t j = 0; j < m; j++) o[r * n + idx[r * m + j]] = s[r * m + j];
  });
  return -1;
}
