// Stable sort of contiguous rows, values and int64 indices. NaN sorts above every number, as in PyTorch.
#include <algorithm>
#include <numeric>
#include <vector>
#include "kernel_util.h"
#include "torchlet.h"

namespace {

template <typename T>
void sort_rows(const T* in, T* values, int64_t* indices, int64_t rows, int64_t len, bool descending) {
  std::vector<int64_t> order(len);
  for (int64_t r = 0; r < rows; r++) {
    const T* x = in + r * len;
    std::iota(order.begin(), order.end(), int64_t(0));
    auto nan = [](T v) { return v != v; };
    if (descending) {
      std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
        return (nan(x[i]) && !nan(x[j])) || x[i] > x[j];
      });
    } else {
      std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
        return (!nan(x[i]) && nan(x[j])) || x[i] < x[j];
      });
    }
    for (int64_t i = 0; i < len; i++) {
      values[r * len + i] = x[order[i]];
      indices[r * len + i] = order[i];
    }
  }
}

}  // namespace

void tl_sort(int dt, int64_t in, int64_t values, int64_t indices, int64_t rows, int64_t len, int descending) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    sort_rows<T>(reinterpret_cast<const T*>(in), reinterpret_cast<T*>(values), reinterpret_cast<int64_t*>(indices),
                 rows, len, descending != 0);
  });
}
