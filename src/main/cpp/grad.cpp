// Fused gradient kernels (tl_grad): one strided elementwise pass per backward formula, in the tensor's dtype
// and in the operation order of PyTorch's own backward kernels (sigmoid_backward, tanh_backward,
// threshold_backward, pow_backward, mse_loss_backward, binary_cross_entropy_with_logits_backward).
#include <cmath>
#include "kernel_util.h"
#include "torchlet.h"

namespace {

// x.pow(e) for a float tensor and a double scalar as PyTorch computes it: exponent 0 fills 1, 1 copies, and
// 2, 3, 0.5, -0.5, -1, -2 take pow_tensor_scalar_optimized_kernel's fast paths (as tl_binary_scalar does).
template <typename T>
inline T pow_scalar(T v, double e, T et) {
  if (e == 0) return T(1);
  if (e == 1) return v;
  if (e == 2) return v * v;
  if (e == 3) return v * v * v;
  if (e == 0.5) return std::sqrt(v);
  if (e == -0.5) return T(1) / std::sqrt(v);
  if (e == -1) return T(1) / v;
  if (e == -2) return T(1) / (v * v);
  return std::pow(v, et);
}

template <typename T>
struct Params {
  T s;         // the scalar, in the dtype
  double e;    // POW_SCALAR: s - 1, in double as PyTorch's Scalar arithmetic does
  T et;        // e in the dtype
};

template <int OP, typename T>
inline T grad_apply(T a, T b, T g, const Params<T>& p) {
  if constexpr (OP == TL_GRAD_RELU) {
    return a <= T(0) ? T(0) : g;
  } else if constexpr (OP == TL_GRAD_SIGMOID) {
    return g * (T(1) - a) * a;
  } else if constexpr (OP == TL_GRAD_TANH) {
    return g * (T(1) - a * a);
  } else if constexpr (OP == TL_GRAD_POW_SCALAR) {
    return g * (p.s * pow_scalar<T>(a, p.e, p.et));  // s == 0 is handled by the caller (zeros)
  } else if constexpr (OP == TL_GRAD_MSE) {
    return p.s * (a - b) * g;
  } else {
    const T sig = T(1) / (T(1) + std::exp(-a));
    return p.s * (sig - b) * g;
  }
}

template <int OP, typename T>
void grad_typed(char* a, char* b, char* g, double s, char* out, int64_t n, const int64_t* meta) {
  const Params<T> p{T(s), s - 1, T(s - 1)};
  const bool zero = OP == TL_GRAD_POW_SCALAR && s == 0;
  tl::for_each_run<4>(n, meta, {a, b, g, out}, {sizeof(T), sizeof(T), sizeof(T), sizeof(T)},
                      [&p, zero](std::array<char*, 4> ptr, int64_t count, std::array<int64_t, 4> st) {
    const T* x = reinterpret_cast<const T*>(ptr[0]);
    const T* y = reinterpret_cast<const T*>(ptr[1]);
    const T* gr = reinterpret_cast<const T*>(ptr[2]);
    T* z = reinterpret_cast<T*>(ptr[3]);
    if (zero) {
      for (int64_t i = 0; i < count; i++) z[i * st[3]] = T(0);
    } else if (st[0] == 1 && st[1] == 1 && st[2] == 1 && st[3] == 1) {
      for (int64_t i = 0; i < count; i++) z[i] = grad_apply<OP, T>(x[i], y[i], gr[i], p);
    } else {
      for (int64_t i = 0; i < count; i++)
        z[i * st[3]] = grad_apply<OP, T>(x[i * st[0]], y[i * st[1]], gr[i * st[2]], p);
    }
  });
}

template <int OP>
void grad_op(int dt, char* a, char* b, char* g, double s, char* out, int64_t n, const int64_t* meta) {
  if (dt == tl::F32) grad_typed<OP, float>(a, b, g, s, out, n, meta);
  else grad_typed<OP, double>(a, b, g, s, out, n, meta);
}

using GradFn = void (*)(int, char*, char*, char*, double, char*, int64_t, const int64_t*);
constexpr GradFn kGrad[] = {grad_op<TL_GRAD_RELU>, grad_op<TL_GRAD_SIGMOID>, grad_op<TL_GRAD_TANH>,
                            grad_op<TL_GRAD_POW_SCALAR>, grad_op<TL_GRAD_MSE>, grad_op<TL_GRAD_BCE_LOGITS>};

inline char* ptr(int64_t addr) { return reinterpret_cast<char*>(addr); }

}  // namespace

void tl_grad(int op, int dt, int64_t a, int64_t b, int64_t g, double s, int64_t out, int64_t n,
             const int64_t* meta) {
  kGrad[op](dt, ptr(a), ptr(b), ptr(g), s, ptr(out), n, meta);
}
