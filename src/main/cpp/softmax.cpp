// Row kernels: softmax, log-softmax and their backward over contiguous rows; cross entropy with class-index
// targets and label smoothing. Each row is computed in double (max, exp, sums) and rounded once to the dtype.
#include <cmath>
#include <vector>
#include "kernel_util.h"
#include "torchlet.h"

namespace {

template <typename T>
inline const T* row_of(int64_t base, int64_t r, int64_t len) { return reinterpret_cast<const T*>(base) + r * len; }

// max of the row and sum of exp(x - max), both in double; an empty row gives (-inf, 0).
template <typename T>
inline void row_stats(const T* x, int64_t len, double& max, double& sum) {
  max = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < len; j++) {
    const double v = x[j];
    if (v != v) { max = v; break; }  // NaN: the whole row is NaN
    if (v > max) max = v;
  }
  sum = 0;
  for (int64_t j = 0; j < len; j++) sum += std::exp(double(x[j]) - max);
}

template <typename T>
void softmax_typed(int64_t in, int64_t out, int64_t rows, int64_t len, bool log) {
  for (int64_t r = 0; r < rows; r++) {
    const T* x = row_of<T>(in, r, len);
    T* z = reinterpret_cast<T*>(out) + r * len;
    double max, sum;
    row_stats(x, len, max, sum);
    if (log) {
      const double lse = std::log(sum);
      for (int64_t j = 0; j < len; j++) z[j] = T((double(x[j]) - max) - lse);
    } else {
      const double inv = 1 / sum;
      for (int64_t j = 0; j < len; j++) z[j] = T(std::exp(double(x[j]) - max) * inv);
    }
  }
}

template <typename T>
void softmax_backward_typed(int64_t g, int64_t y, int64_t grad_in, int64_t rows, int64_t len, bool log) {
  for (int64_t r = 0; r < rows; r++) {
    const T* gr = row_of<T>(g, r, len);
    const T* out = row_of<T>(y, r, len);
    T* z = reinterpret_cast<T*>(grad_in) + r * len;
    double sum = 0;
    if (log) {
      for (int64_t j = 0; j < len; j++) sum += gr[j];
      for (int64_t j = 0; j < len; j++) z[j] = T(double(gr[j]) - std::exp(double(out[j])) * sum);
    } else {
      for (int64_t j = 0; j < len; j++) sum += double(gr[j]) * double(out[j]);
      for (int64_t j = 0; j < len; j++) z[j] = T(double(out[j]) * (double(gr[j]) - sum));
    }
  }
}

// The first row whose target is neither in [0, classes) nor ignore, or -1.
int64_t first_bad_target(const int64_t* t, int64_t ts, int64_t rows, int64_t classes, int64_t ignore) {
  for (int64_t i = 0; i < rows; i++) {
    const int64_t v = t[i * ts];
    if (v != ignore && (v < 0 || v >= classes)) return i;
  }
  return -1;
}

template <typename T>
void cross_entropy_typed(int64_t logits, const int64_t* target, int64_t ts, int64_t rows, int64_t classes,
                         int64_t ignore, double ls, int64_t losses) {
  T* out = reinterpret_cast<T*>(losses);
  for (int64_t i = 0; i < rows; i++) {
    const int64_t t = target[i * ts];
    if (t == ignore) {
      out[i] = T(0);
      continue;
    }
    const T* x = row_of<T>(logits, i, classes);
    double max, sum;
    row_stats(x, classes, max, sum);
    const double lse = max + std::log(sum);
    double loss = -(1 - ls) * (double(x[t]) - lse);
    if (ls != 0) {
      double all = 0;  // sum_c logp_c
      for (int64_t c = 0; c < classes; c++) all += double(x[c]) - lse;
      loss -= ls / double(classes) * all;
    }
    out[i] = T(loss);
  }
}

template <typename T>
void cross_entropy_backward_typed(int64_t logits, const int64_t* target, int64_t ts, const T* g, int64_t gs,
                                  int64_t rows, int64_t classes, int64_t ignore, double ls, int64_t grad_logits) {
  const double smooth = ls / double(classes);
  for (int64_t i = 0; i < rows; i++) {
    T* z = reinterpret_cast<T*>(grad_logits) + i * classes;
    const int64_t t = target[i * ts];
    if (t == ignore) {
      for (int64_t c = 0; c < classes; c++) z[c] = T(0);
      continue;
    }
    const T* x = row_of<T>(logits, i, classes);
    double max, sum;
    row_stats(x, classes, max, sum);
    const double inv = 1 / sum, gi = g[i * gs];
    for (int64_t c = 0; c < classes; c++) {
      const double p = std::exp(double(x[c]) - max) * inv;
      z[c] = T(gi * (p - (c == t ? 1 - ls : 0) - smooth));
    }
  }
}

}  // namespace

void tl_softmax(int dt, int64_t in, int64_t out, int64_t rows, int64_t len, int log) {
  if (dt == tl::F32) softmax_typed<float>(in, out, rows, len, log != 0);
  else softmax_typed<double>(in, out, rows, len, log != 0);
}

void tl_softmax_backward(int dt, int64_t g, int64_t y, int64_t grad_in, int64_t rows, int64_t len, int log) {
  if (dt == tl::F32) softmax_backward_typed<float>(g, y, grad_in, rows, len, log != 0);
  else softmax_backward_typed<double>(g, y, grad_in, rows, len, log != 0);
}

int64_t tl_cross_entropy(int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t rows,
                         int64_t classes, int64_t ignore_index, double label_smoothing, int64_t losses) {
  const int64_t* t = reinterpret_cast<const int64_t*>(target);
  const int64_t bad = first_bad_target(t, target_stride, rows, classes, ignore_index);
  if (bad >= 0) return bad;
  if (dt == tl::F32)
    cross_entropy_typed<float>(logits, t, target_stride, rows, classes, ignore_index, label_smoothing, losses);
  else
    cross_entropy_typed<double>(logits, t, target_stride, rows, classes, ignore_index, label_smoothing, losses);
  return -1;
}

int64_t tl_cross_entropy_backward(int dt, int64_t logits, int64_t target, int64_t target_stride, int64_t g,
                                  int64_t g_stride, int64_t rows, int64_t classes, int64_t ignore_index,
                                  double label_smoothing, int64_t grad_logits) {
  const int64_t* t = reinterpret_cast<const int64_t*>(target);
  const int64_t bad = first_bad_target(t, target_stride, rows, classes, ignore_index);
  if (bad >= 0) return bad;
  if (dt == tl::F32)
    cross_entropy_backward_typed<float>(logits, t, target_stride, reinterpret_cast<const float*>(g), g_stride, rows,
                                        classes, ignore_index, label_smoothing, grad_logits);
  else
    cross_entropy_backward_typed<double>(logits, t, target_stride, reinterpret_cast<const double*>(g), g_stride,
                                         rows, classes, ignore_index, label_smoothing, grad_logits);
  return -1;
}
