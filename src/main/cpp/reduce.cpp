// Reductions over the trailing nred dims of a strided input (see tl_reduce in torchlet.h). One output
// element per kept index; float accumulation in double, integer in wrapping int64.
#include <cmath>
#include <vector>
#include "kernel_util.h"
#include "torchlet.h"

using tl::boolean;

namespace {

// Visits the reduced elements of one output position in row-major order: f(value, position).
// f receives a reference into the input, so a caller may read neighbouring elements from it.
template <typename T, typename F>
void visit(const T* base, int nred, const int64_t* shape, const int64_t* strides, F&& f) {
  int64_t total = 1;
  for (int d = 0; d < nred; d++) total *= shape[d];
  if (total == 0) return;
  if (nred == 0) {
    f(*base, int64_t(0));
    return;
  }
  const int64_t inner = shape[nred - 1], inner_stride = strides[nred - 1];
  std::vector<int64_t> counter(nred, 0);
  const T* p = base;
  for (int64_t pos = 0;;) {
    for (int64_t i = 0; i < inner; i++) f(p[i * inner_stride], pos + i);
    pos += inner;
    int d = nred - 2;
    for (; d >= 0; d--) {
      p += strides[d];
      if (++counter[d] < shape[d]) break;
      p -= strides[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

template <typename T>
void reduce_typed(int op, const T* in, char* out, int64_t* out_idx, const int64_t* meta) {
  const int nkeep = static_cast<int>(meta[0]), nred = static_cast<int>(meta[1]);
  const int64_t* keep_shape = meta + 2;
  const int64_t* red_shape = keep_shape + nkeep;
  const int64_t* in_keep = red_shape + nred;
  const int64_t* in_red = in_keep + nkeep;
  const int64_t* out_strides = in_red + nred;
  const int64_t* idx_strides = out_strides + nkeep;
  int64_t outputs = 1, count = 1;
  for (int d = 0; d < nkeep; d++) outputs *= keep_shape[d];
  for (int d = 0; d < nred; d++) count *= red_shape[d];
  constexpr bool floating = std::is_floating_point_v<T>;
  using Acc = std::conditional_t<floating, double, int64_t>;
  using Sum = std::conditional_t<floating, T, int64_t>;  // SUM/PROD result type

  // Column reductions (e.g. sum over dim 0 of a row-major matrix): when the innermost kept dim is the
  // input's unit-stride dim, accumulate whole rows at a time instead of striding down each column. Each
  // output still adds its elements in the same order, so the result is identical, only cache-friendly.
  if ((op == TL_SUM || op == TL_MEAN || op == TL_PROD) && nkeep >= 1 && nred >= 1 && in_keep[nkeep - 1] == 1 &&
      keep_shape[nkeep - 1] > 1) {
    const int64_t width = keep_shape[nkeep - 1];
    std::vector<Acc> acc(width);
    std::vector<int64_t> counter(nkeep - 1, 0);
    int64_t in_off = 0, out_off = 0;
    for (int64_t o = 0; o < outputs / width; o++) {
      std::fill(acc.begin(), acc.end(), op == TL_PROD ? Acc(1) : Acc(0));
      const T* base = in + in_off;
      // visit every reduced position once, adding the row of `width` kept elements found there
      visit(base, nred, red_shape, in_red, [&](const T& first, int64_t) {
        const T* row = &first;
        for (int64_t j = 0; j < width; j++) {
          if constexpr (floating) {
            if (op == TL_PROD) acc[j] *= row[j]; else acc[j] += row[j];
          } else {
            acc[j] = op == TL_PROD ? Acc(uint64_t(acc[j]) * uint64_t(int64_t(row[j])))
                                   : Acc(uint64_t(acc[j]) + uint64_t(int64_t(row[j])));
          }
        }
      });
      for (int64_t j = 0; j < width; j++) {
        if (op == TL_MEAN) {
          if constexpr (floating) reinterpret_cast<T*>(out)[out_off + j * out_strides[nkeep - 1]] = T(double(acc[j]) / double(count));
        } else {
          reinterpret_cast<Sum*>(out)[out_off + j * out_strides[nkeep - 1]] = Sum(acc[j]);
        }
      }
      for (int d = nkeep - 2; d >= 0; d--) {
        in_off += in_keep[d];
        out_off += out_strides[d];
        if (++counter[d] < keep_shape[d]) break;
        in_off -= in_keep[d] * keep_shape[d];
        out_off -= out_strides[d] * keep_shape[d];
        counter[d] = 0;
      }
    }
    return;
  }

  std::vector<int64_t> counter(nkeep, 0);
  int64_t in_off = 0, out_off = 0, idx_off = 0;
  for (int64_t o = 0; o < outputs; o++) {
    const T* base = in + in_off;
    switch (op) {
      case TL_SUM:
      case TL_MEAN: {
        Acc acc = 0;
        if constexpr (floating) {
          visit(base, nred, red_shape, in_red, [&](T v, int64_t) { acc += v; });
        } else {
          visit(base, nred, red_shape, in_red, [&](T v, int64_t) { acc = Acc(uint64_t(acc) + uint64_t(int64_t(v))); });
        }
        if (op == TL_SUM) {
          reinterpret_cast<Sum*>(out)[out_off] = Sum(acc);
        } else if constexpr (floating) {
          reinterpret_cast<T*>(out)[out_off] = T(count == 0 ? std::nan("") : double(acc) / double(count));
        }
        break;
      }
      case TL_PROD: {
        Acc acc = 1;
        if constexpr (floating) {
          visit(base, nred, red_shape, in_red, [&](T v, int64_t) { acc *= v; });
        } else {
          visit(base, nred, red_shape, in_red, [&](T v, int64_t) { acc = Acc(uint64_t(acc) * uint64_t(int64_t(v))); });
        }
        reinterpret_cast<Sum*>(out)[out_off] = Sum(acc);
        break;
      }
      default: {  // MAX, MIN, ARGMAX, ARGMIN: the first extreme; a NaN is the extreme and sticks
        const bool is_max = op == TL_MAX || op == TL_ARGMAX;
        T best = T();
        int64_t best_pos = -1;
        bool best_nan = false;
        visit(base, nred, red_shape, in_red, [&](T v, int64_t pos) {
          if (best_nan) return;
          const bool nan = v != v;
          if (best_pos < 0 || nan || (is_max ? v > best : v < best)) {
            best = v;
            best_pos = pos;
            best_nan = nan;
          }
        });
        if (op == TL_MAX || op == TL_MIN) reinterpret_cast<T*>(out)[out_off] = best;
        if (out_idx != nullptr) out_idx[idx_off] = best_pos < 0 ? 0 : best_pos;
        break;
      }
    }
    for (int d = nkeep - 1; d >= 0; d--) {  // next kept index
      in_off += in_keep[d];
      out_off += out_strides[d];
      idx_off += idx_strides[d];
      if (++counter[d] < keep_shape[d]) break;
      in_off -= in_keep[d] * keep_shape[d];
      out_off -= out_strides[d] * keep_shape[d];
      idx_off -= idx_strides[d] * keep_shape[d];
      counter[d] = 0;
    }
  }
}

}  // namespace

void tl_reduce(int op, int dt, int64_t in, int64_t out, int64_t out_idx, const int64_t* meta) {
  tl::dispatch(dt, [&](auto tag) {
    using T = decltype(tag);
    reduce_typed<T>(op, reinterpret_cast<const T*>(in), reinterpret_cast<char*>(out),
                    reinterpret_cast<int64_t*>(out_idx), meta);
  });
}
