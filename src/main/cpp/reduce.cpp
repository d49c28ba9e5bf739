// Reductions over the trailing nred dims of a strided input (see tl_reduce in torchlet.h). The reduced
// dims are coalesced once per call; each output element then walks them with an odometer over the outer
// reduced dims and a tight loop over the innermost. Float accumulation in double, integer in wrapping int64.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>
#include "kernel_util.h"
#include "torchlet.h"

using tl::boolean;

namespace {

// The reduced index space with size-1 dims dropped and dims contiguous with each other merged (innermost
// last). Merging keeps the row-major visiting order, so a run's positions are consecutive.
struct RedSpace {
  std::vector<int64_t> shape, strides;
  std::vector<int64_t> counter;  // odometer scratch, allocated once per call
  int64_t count = 1;             // elements in the reduced space
};

RedSpace coalesce(int nred, const int64_t* shape, const int64_t* strides) {
  RedSpace r;
  for (int d = 0; d < nred; d++) {
    r.count *= shape[d];
    if (shape[d] == 1) continue;
    if (!r.shape.empty() && r.strides.back() == strides[d] * shape[d]) {  // outer dim = inner * size
      r.shape.back() *= shape[d];
      r.strides.back() = strides[d];
      continue;
    }
    r.shape.push_back(shape[d]);
    r.strides.push_back(strides[d]);
  }
  r.counter.assign(r.shape.size(), 0);
  return r;
}

// Calls run(p, n, stride, pos) for each innermost run of the reduced space below base, in row-major order;
// pos is the row-major position of p[0]. Nothing for an empty space.
template <typename T, typename Run>
void visit(const T* base, RedSpace& r, Run&& run) {
  if (r.count == 0) return;
  const int nd = static_cast<int>(r.shape.size());
  if (nd == 0) {  // a single element
    run(base, int64_t(1), int64_t(1), int64_t(0));
    return;
  }
  const int64_t inner = r.shape[nd - 1], inner_stride = r.strides[nd - 1];
  const T* p = base;
  for (int64_t pos = 0;; pos += inner) {
    run(p, inner, inner_stride, pos);
    int d = nd - 2;
    for (; d >= 0; d--) {
      p += r.strides[d];
      if (++r.counter[d] < r.shape[d]) break;
      p -= r.strides[d] * r.shape[d];
      r.counter[d] = 0;
    }
    if (d < 0) return;
  }
}

// acc += the elements of one run, in double. Strided runs add one by one in order; unit-stride runs use
// four partial sums, which breaks the add latency chain (3x faster on in-cache rows).
template <typename T>
void add_run(double& acc, const T* p, int64_t n, int64_t s) {
  if (s != 1) {
    for (int64_t i = 0; i < n; i++) acc += double(p[i * s]);
    return;
  }
  double a0 = acc, a1 = 0, a2 = 0, a3 = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += double(p[i]);
    a1 += double(p[i + 1]);
    a2 += double(p[i + 2]);
    a3 += double(p[i + 3]);
  }
  for (; i < n; i++) a0 += double(p[i]);
  acc = (a0 + a1) + (a2 + a3);
}

// Wrapping int64 sum of one run (int64 or bool input); vectorizes on unit stride.
template <typename T>
uint64_t isum_run(const T* p, int64_t n, int64_t s) {
  uint64_t acc = 0;
  if (s == 1) for (int64_t i = 0; i < n; i++) acc += uint64_t(int64_t(p[i]));
  else for (int64_t i = 0; i < n; i++) acc += uint64_t(int64_t(p[i * s]));
  return acc;
}

// The first extreme of the reduced space: the first NaN if there is one, else the first maximum (minimum).
template <bool IS_MAX, typename T>
struct Extreme {
  T best = T();
  int64_t pos = -1;
  bool nan = false;
  void run(const T* p, int64_t n, int64_t s, int64_t pos0) {
    if (nan) return;  // a NaN sticks
    for (int64_t i = 0; i < n; i++) {
      const T v = p[i * s];
      if (v != v) {
        best = v;
        pos = pos0 + i;
        nan = true;
        return;
      }
      if (pos < 0 || (IS_MAX ? v > best : v < best)) {
        best = v;
        pos = pos0 + i;
      }
    }
  }
};

template <typename T>
void reduce_typed(int op, const T* in, char* out, int64_t* out_idx, const int64_t* meta) {
  const int nkeep = static_cast<int>(meta[0]), nred = static_cast<int>(meta[1]);
  const int64_t* keep_shape = meta + 2;
  const int64_t* red_shape = keep_shape + nkeep;
  const int64_t* in_keep = red_shape + nred;
  const int64_t* in_red = in_keep + nkeep;
  const int64_t* out_strides = in_red + nred;
  const int64_t* idx_strides = out_strides + nkeep;
  RedSpace red = coalesce(nred, red_shape, in_red);
  constexpr bool floating = std::is_floating_point_v<T>;
  using Sum = std::conditional_t<floating, T, int64_t>;  // SUM/PROD result type
  Sum* sum_out = reinterpret_cast<Sum*>(out);
  T* val_out = reinterpret_cast<T*>(out);

  // f(input base, out offset, idx offset) for every index of the first nk kept dims (odometer)
  auto for_each_output = [&](int nk, auto&& f) {
    int64_t outputs = 1;
    for (int d = 0; d < nk; d++) outputs *= keep_shape[d];
    std::vector<int64_t> counter(nk, 0);
    int64_t in_off = 0, out_off = 0, idx_off = 0;
    for (int64_t o = 0; o < outputs; o++) {
      f(in + in_off, out_off, idx_off);
      for (int d = nk - 1; d >= 0; d--) {
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
  };
  auto extreme = [&](auto tag) {
    using E = decltype(tag);
    const bool write_value = op == TL_MAX || op == TL_MIN;
    for_each_output(nkeep, [&](const T* base, int64_t out_off, int64_t idx_off) {
      E e;
      visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t pos) { e.run(p, n, s, pos); });
      if (write_value) val_out[out_off] = e.best;
      if (out_idx != nullptr) out_idx[idx_off] = e.pos < 0 ? 0 : e.pos;
    });
  };

  // Column reductions (e.g. sum over dim 0 of a row-major matrix): when the innermost kept dim is the
  // input's unit-stride dim, add whole rows of `width` outputs at a time instead of striding down each
  // column. Each output still adds its elements one by one in row-major order, as the general path does
  // on a strided run, so the results are identical, only cache-friendly.
  if ((op == TL_SUM || op == TL_MEAN || op == TL_PROD) && nkeep >= 1 && red.count > 1 && in_keep[nkeep - 1] == 1 &&
      keep_shape[nkeep - 1] > 1) {
    const int64_t width = keep_shape[nkeep - 1], ostride = out_strides[nkeep - 1];
    using Acc = std::conditional_t<floating, double, uint64_t>;  // integers wrap
    std::vector<Acc> acc(static_cast<size_t>(width));
    for_each_output(nkeep - 1, [&](const T* base, int64_t out_off, int64_t) {
      std::fill(acc.begin(), acc.end(), op == TL_PROD ? Acc(1) : Acc(0));
      Acc* a = acc.data();
      visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t) {
        for (int64_t i = 0; i < n; i++) {
          const T* row = p + i * s;
          if (op == TL_PROD) for (int64_t j = 0; j < width; j++) a[j] *= Acc(row[j]);
          else for (int64_t j = 0; j < width; j++) a[j] += Acc(row[j]);
        }
      });
      for (int64_t j = 0; j < width; j++) {
        if constexpr (floating) {
          if (op == TL_MEAN) val_out[out_off + j * ostride] = T(a[j] / double(red.count));
          else sum_out[out_off + j * ostride] = T(a[j]);
        } else {
          sum_out[out_off + j * ostride] = int64_t(a[j]);
        }
      }
    });
    return;
  }

  switch (op) {
    case TL_SUM:
    case TL_MEAN:
      for_each_output(nkeep, [&](const T* base, int64_t out_off, int64_t) {
        if constexpr (floating) {
          double acc = 0;
          visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t) { add_run(acc, p, n, s); });
          if (op == TL_SUM) sum_out[out_off] = T(acc);
          else val_out[out_off] = T(red.count == 0 ? std::numeric_limits<double>::quiet_NaN() : acc / double(red.count));
        } else {  // MEAN is floats only (Java promotes first)
          uint64_t acc = 0;
          visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t) { acc += isum_run(p, n, s); });
          sum_out[out_off] = int64_t(acc);
        }
      });
      break;
    case TL_PROD:
      for_each_output(nkeep, [&](const T* base, int64_t out_off, int64_t) {
        if constexpr (floating) {
          double acc = 1;
          visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t) {
            for (int64_t i = 0; i < n; i++) acc *= double(p[i * s]);
          });
          sum_out[out_off] = T(acc);
        } else {
          uint64_t acc = 1;
          visit(base, red, [&](const T* p, int64_t n, int64_t s, int64_t) {
            for (int64_t i = 0; i < n; i++) acc *= uint64_t(int64_t(p[i * s]));
          });
          sum_out[out_off] = int64_t(acc);
        }
      });
      break;
    case TL_MAX:
    case TL_ARGMAX:
      extreme(Extreme<true, T>{});
      break;
    default:  // MIN, ARGMIN
      extreme(Extreme<false, T>{});
      break;
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
