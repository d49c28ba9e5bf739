// In-place optimizer steps (SGD, RMSprop, Adam/AdamW), one strided elementwise pass each, with the formulas
// of src/main/cpp/optim.cpp term for term: the same roundings in the dtype, fma exactly where the CPU
// kernels call std::fma (nvcc --fmad=false fuses nothing else), so both backends give the same bits.
#include <cmath>
#include "cuda_util.cuh"

namespace {

template <typename T>
__device__ inline T lerp(T self, T end, T w) {  // PyTorch's lerp, as optim.cpp
  const T diff = end - self;
  return fabs(w) < T(0.5) ? fma(w, diff, self) : fma(-diff, T(1) - w, end);
}

template <typename T>
__device__ inline T maximum(T a, T b) { return (a != a || b != b) ? T(NAN) : (a > b ? a : b); }

template <typename T>
struct Sgd {
  T* w;
  const T* g;
  T* b;
  T wd, mom, damp1, neg_lr;
  bool decay, use_buf, nesterov, first;
  __device__ void operator()(const int64_t* off) const {
    T& wi = w[off[0]];
    T d = g[off[1]];
    if (decay) d = fma(wd, wi, d);
    if (use_buf) {
      T& bi = b[off[2]];
      bi = first ? d : fma(damp1, d, T(bi * mom));
      d = nesterov ? fma(mom, bi, d) : bi;
    }
    wi = fma(neg_lr, d, wi);
  }
};

template <typename T>
struct Rmsprop {
  T* w;
  const T* gr;
  T* sq;
  T* ga;
  T* b;
  T wd, a, one_minus_a, e, mom, neg_lr;
  bool decay, centered, use_buf;
  __device__ void operator()(const int64_t* off) const {
    T& wi = w[off[0]];
    T g = gr[off[1]];
    if (decay) g = fma(wd, wi, g);
    T& sqi = sq[off[2]];
    sqi = T(sqi * a) + T(T(one_minus_a * g) * g);
    T avg;
    if (centered) {
      T& gai = ga[off[3]];
      gai = lerp(gai, g, one_minus_a);
      avg = sqrt(T(sqi + T(T(T(-1) * gai) * gai)));
    } else {
      avg = sqrt(sqi);
    }
    avg = avg + e;
    if (use_buf) {
      T& bi = b[off[4]];
      bi = T(bi * mom) + T(g / avg);
      wi = fma(neg_lr, bi, wi);
    } else {
      wi = wi + T(T(neg_lr * g) / avg);
    }
  }
};

template <typename T>
struct Adam {
  T* w;
  const T* gr;
  T* m;
  T* v;
  T* vmax;
  T decay_factor, wd, w1, b2, one_minus_b2, bc2_sqrt, e, neg_step_size;
  bool decoupled, coupled_decay, amsgrad;
  __device__ void operator()(const int64_t* off) const {
    T& wi = w[off[0]];
    T g = gr[off[1]];
    if (decoupled) wi = wi * decay_factor;
    else if (coupled_decay) g = fma(wd, wi, g);
    T& mi = m[off[2]];
    mi = lerp(mi, g, w1);
    T& vi = v[off[3]];
    vi = T(vi * b2) + T(T(one_minus_b2 * g) * g);
    T vv = vi;
    if (amsgrad) {
      T& mx = vmax[off[4]];
      mx = maximum(mx, vi);
      vv = mx;
    }
    const T denom = T(sqrt(vv) / bc2_sqrt) + e;
    wi = wi + T(T(neg_step_size * mi) / denom);
  }
};

template <typename T> T* as(int64_t addr) { return reinterpret_cast<T*>(addr); }

}  // namespace

int tlc_sgd_step(int dev, int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,
                 double momentum, double dampening, double weight_decay, int nesterov, int first_step) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const Sgd<T> f{as<T>(param), as<T>(grad), as<T>(buf), T(weight_decay), T(momentum), T(1 - dampening), T(-lr),
                   weight_decay != 0, momentum != 0, nesterov != 0, first_step != 0};
    return tlc::for_each<3>(dev, n, meta, f);
  };
  return dt == tlc::F32 ? run(float{}) : run(double{});
}

int tlc_rmsprop_step(int dev, int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,
                     int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,
                     double momentum) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const Rmsprop<T> f{as<T>(param), as<T>(grad), as<T>(square_avg), as<T>(grad_avg), as<T>(buf), T(weight_decay),
                       T(alpha), T(1 - alpha), T(eps), T(momentum), T(-lr), weight_decay != 0, grad_avg != 0,
                       momentum > 0};
    return tlc::for_each<5>(dev, n, meta, f);
  };
  return dt == tlc::F32 ? run(float{}) : run(double{});
}

int tlc_adam_step(int dev, int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq,
                  int64_t max_exp_avg_sq, int64_t n, const int64_t* meta, int64_t step, double lr, double beta1,
                  double beta2, double eps, double weight_decay, int decoupled) {
  const double bc1 = 1 - std::pow(beta1, double(step)), bc2 = 1 - std::pow(beta2, double(step));
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const Adam<T> f{as<T>(param), as<T>(grad), as<T>(exp_avg), as<T>(exp_avg_sq), as<T>(max_exp_avg_sq),
                    T(1 - lr * weight_decay), T(weight_decay), T(1 - beta1), T(beta2), T(1 - beta2),
                    T(std::sqrt(bc2)), T(eps), T(-(lr / bc1)), decoupled != 0, decoupled == 0 && weight_decay != 0,
                    max_exp_avg_sq != 0};
    return tlc::for_each<5>(dev, n, meta, f);
  };
  return dt == tlc::F32 ? run(float{}) : run(double{});
}
