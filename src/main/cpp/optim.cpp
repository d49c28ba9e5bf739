// In-place optimizer steps (torch.optim.SGD, RMSprop, Adam/AdamW; PyTorch 2.x _single_tensor_* code paths),
// one strided elementwise pass each. Every PyTorch tensor op of the Python loop is one rounding here, in the
// tensor's dtype, with the hyper-parameters converted to the dtype as PyTorch converts Python scalars:
// add(x, alpha=a) is fma(a, x, self) (PyTorch's AVX2 kernels), addcmul(t1, t2, value=v) is self + v * t1 * t2,
// addcdiv(t1, t2, value=v) is self + v * t1 / t2, lerp is PyTorch's two-sided formula with fma.
//
// Compiled twice (CMakeLists.txt): once for the baseline and once with FMA and AVX2 (TL_OPTIM_FMA), where
// std::fma is one instruction instead of a libm call (x86-64-v2 has no FMA); optim_dispatch.cpp picks one
// by the CPU. The results are the same bits either way: fma is exactly rounded in both.
#include <cmath>
#include "kernel_util.h"
#include "optim_isa.h"
#include "torchlet.h"

// After the includes: only the functions below get the instruction set, never an inline function of a
// header, whose one copy in the library the baseline code shares.
#ifdef TL_OPTIM_FMA
#pragma GCC target("avx2,fma")
#endif

namespace {

inline char* ptr(int64_t addr) { return reinterpret_cast<char*>(addr); }

// PyTorch's lerp (ATen/native/Lerp.h, vectorized with fmadd): accurate at both ends.
template <typename T>
inline T lerp(T self, T end, T w) {
  const T diff = end - self;
  return std::abs(w) < T(0.5) ? std::fma(w, diff, self) : std::fma(-diff, T(1) - w, end);
}

template <typename T>
inline T maximum(T a, T b) {  // torch.maximum: NaN propagates
  return (a != a || b != b) ? std::numeric_limits<T>::quiet_NaN() : std::max(a, b);
}

// The same update on contiguous runs: restrict pointers and unit strides let the compiler unswitch the
// flags and vectorize (the strided loop above runs about 8x slower on a [1024, 1024] parameter).
template <typename T>
void sgd_contiguous(T* __restrict w, const T* __restrict g, T* __restrict b, int64_t n, T wd, T mom, T damp1,
                    T neg_lr, bool decay, bool use_buf, bool nesterov, bool first) {
  for (int64_t i = 0; i < n; i++) {
    T d = g[i];
    if (decay) d = std::fma(wd, w[i], d);
    if (use_buf) {
      const T bi = first ? d : std::fma(damp1, d, T(b[i] * mom));
      b[i] = bi;
      d = nesterov ? std::fma(mom, bi, d) : bi;
    }
    w[i] = std::fma(neg_lr, d, w[i]);
  }
}

template <typename T>
void sgd_typed(char* param, char* grad, char* buf, int64_t n, const int64_t* meta, double lr, double momentum,
               double dampening, double weight_decay, bool nesterov, bool first) {
  const T wd = T(weight_decay), mom = T(momentum), damp1 = T(1 - dampening), neg_lr = T(-lr);
  const bool decay = weight_decay != 0, use_buf = momentum != 0;
  tl::for_each_run<3>(n, meta, {param, grad, buf}, {sizeof(T), sizeof(T), sizeof(T)},
                      [&](std::array<char*, 3> p, int64_t count, std::array<int64_t, 3> s) {
    T* w = reinterpret_cast<T*>(p[0]);
    const T* g = reinterpret_cast<const T*>(p[1]);
    T* b = reinterpret_cast<T*>(p[2]);
    if (s[0] == 1 && s[1] == 1 && (s[2] == 1 || !use_buf)) {
      sgd_contiguous(w, g, b, count, wd, mom, damp1, neg_lr, decay, use_buf, nesterov, first);
      return;
    }
    for (int64_t i = 0; i < count; i++) {
      T& wi = w[i * s[0]];
      T d = g[i * s[1]];
      if (decay) d = std::fma(wd, wi, d);
      if (use_buf) {
        T& bi = b[i * s[2]];
        bi = first ? d : std::fma(damp1, d, T(bi * mom));
        d = nesterov ? std::fma(mom, bi, d) : bi;
      }
      wi = std::fma(neg_lr, d, wi);
    }
  });
}

template <typename T>
void rmsprop_typed(char* param, char* grad, char* square_avg, char* grad_avg, char* buf, int64_t n,
                   const int64_t* meta, double lr, double alpha, double eps, double weight_decay, double momentum) {
  const T wd = T(weight_decay), a = T(alpha), one_minus_a = T(1 - alpha), e = T(eps), mom = T(momentum),
          neg_lr = T(-lr);
  const bool decay = weight_decay != 0, centered = grad_avg != nullptr, use_buf = momentum > 0;
  tl::for_each_run<5>(n, meta, {param, grad, square_avg, grad_avg, buf}, {sizeof(T), sizeof(T), sizeof(T), sizeof(T), sizeof(T)},
                      [&](std::array<char*, 5> p, int64_t count, std::array<int64_t, 5> s) {
    T* w = reinterpret_cast<T*>(p[0]);
    const T* gr = reinterpret_cast<const T*>(p[1]);
    T* sq = reinterpret_cast<T*>(p[2]);
    T* ga = reinterpret_cast<T*>(p[3]);
    T* b = reinterpret_cast<T*>(p[4]);
    for (int64_t i = 0; i < count; i++) {
      T& wi = w[i * s[0]];
      T g = gr[i * s[1]];
      if (decay) g = std::fma(wd, wi, g);
      T& sqi = sq[i * s[2]];
      sqi = T(sqi * a) + T(T(one_minus_a * g) * g);
      T avg;
      if (centered) {
        T& gai = ga[i * s[3]];
        gai = lerp(gai, g, one_minus_a);
        avg = std::sqrt(T(sqi + T(T(T(-1) * gai) * gai)));
      } else {
        avg = std::sqrt(sqi);
      }
      avg = avg + e;
      if (use_buf) {
        T& bi = b[i * s[4]];
        bi = T(bi * mom) + T(g / avg);
        wi = std::fma(neg_lr, bi, wi);
      } else {
        wi = wi + T(T(neg_lr * g) / avg);
      }
    }
  });
}

template <typename T>
void adam_typed(char* param, char* grad, char* exp_avg, char* exp_avg_sq, char* max_sq, int64_t n,
                const int64_t* meta, int64_t step, double lr, double beta1, double beta2, double eps,
                double weight_decay, bool decoupled) {
  const double bc1 = 1 - std::pow(beta1, double(step)), bc2 = 1 - std::pow(beta2, double(step));
  const T decay_factor = T(1 - lr * weight_decay), wd = T(weight_decay), w1 = T(1 - beta1), b2 = T(beta2),
          one_minus_b2 = T(1 - beta2), bc2_sqrt = T(std::sqrt(bc2)), e = T(eps), neg_step_size = T(-(lr / bc1));
  const bool coupled_decay = !decoupled && weight_decay != 0, amsgrad = max_sq != nullptr;
  tl::for_each_run<5>(n, meta, {param, grad, exp_avg, exp_avg_sq, max_sq}, {sizeof(T), sizeof(T), sizeof(T), sizeof(T), sizeof(T)},
                      [&](std::array<char*, 5> p, int64_t count, std::array<int64_t, 5> s) {
    T* w = reinterpret_cast<T*>(p[0]);
    const T* gr = reinterpret_cast<const T*>(p[1]);
    T* m = reinterpret_cast<T*>(p[2]);
    T* v = reinterpret_cast<T*>(p[3]);
    T* vmax = reinterpret_cast<T*>(p[4]);
    for (int64_t i = 0; i < count; i++) {
      T& wi = w[i * s[0]];
      T g = gr[i * s[1]];
      if (decoupled) wi = wi * decay_factor;
      else if (coupled_decay) g = std::fma(wd, wi, g);
      T& mi = m[i * s[2]];
      mi = lerp(mi, g, w1);
      T& vi = v[i * s[3]];
      vi = T(vi * b2) + T(T(one_minus_b2 * g) * g);
      T vv = vi;
      if (amsgrad) {
        T& mx = vmax[i * s[4]];
        mx = maximum(mx, vi);
        vv = mx;
      }
      const T denom = T(std::sqrt(vv) / bc2_sqrt) + e;
      wi = wi + T(T(neg_step_size * mi) / denom);
    }
  });
}

}  // namespace

namespace TL_OPTIM_ISA {

void sgd_step(int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,
                 double momentum, double dampening, double weight_decay, int nesterov, int first_step) {
  if (dt == tl::F32)
    sgd_typed<float>(ptr(param), ptr(grad), ptr(buf), n, meta, lr, momentum, dampening, weight_decay, nesterov != 0,
                     first_step != 0);
  else
    sgd_typed<double>(ptr(param), ptr(grad), ptr(buf), n, meta, lr, momentum, dampening, weight_decay, nesterov != 0,
                      first_step != 0);
}

void rmsprop_step(int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,
                     int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,
                     double momentum) {
  if (dt == tl::F32)
    rmsprop_typed<float>(ptr(param), ptr(grad), ptr(square_avg), ptr(grad_avg), ptr(buf), n, meta, lr, alpha, eps,
                         weight_decay, momentum);
  else
    rmsprop_typed<double>(ptr(param), ptr(grad), ptr(square_avg), ptr(grad_avg), ptr(buf), n, meta, lr, alpha, eps,
                          weight_decay, momentum);
}

void adam_step(int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq, int64_t max_exp_avg_sq,
                  int64_t n, const int64_t* meta, int64_t step, double lr, double beta1, double beta2, double eps,
                  double weight_decay, int decoupled) {
  if (dt == tl::F32)
    adam_typed<float>(ptr(param), ptr(grad), ptr(exp_avg), ptr(exp_avg_sq), ptr(max_exp_avg_sq), n, meta, step, lr,
                      beta1, beta2, eps, weight_decay, decoupled != 0);
  else
    adam_typed<double>(ptr(param), ptr(grad), ptr(exp_avg), ptr(exp_avg_sq), ptr(max_exp_avg_sq), n, meta, step, lr,
                       beta1, beta2, eps, weight_decay, decoupled != 0);
}

}  // namespace TL_OPTIM_ISA
