// The optimizer steps' entry points: the FMA/AVX2 build of optim.cpp where the CPU has both, the baseline
// build elsewhere (same results; see optim.cpp).
#include "optim_isa.h"
#include "torchlet.h"

namespace {
bool cpu_has_fma() {
  __builtin_cpu_init();  // this runs among the static initializers, maybe before libgcc's own
  return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
}
const bool kHasFma = cpu_has_fma();
}  // namespace

void tl_sgd_step(int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,
                 double momentum, double dampening, double weight_decay, int nesterov, int first_step) {
  (kHasFma ? optim_fma::sgd_step : optim_base::sgd_step)(dt, param, grad, buf, n, meta, lr, momentum, dampening,
                                                          weight_decay, nesterov, first_step);
}

void tl_rmsprop_step(int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,
                     int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,
                     double momentum) {
  (kHasFma ? optim_fma::rmsprop_step : optim_base::rmsprop_step)(dt, param, grad, square_avg, grad_avg, buf, n, meta,
                                                                  lr, alpha, eps, weight_decay, momentum);
}

void tl_adam_step(int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq, int64_t max_exp_avg_sq,
                  int64_t n, const int64_t* meta, int64_t step, double lr, double beta1, double beta2, double eps,
                  double weight_decay, int decoupled) {
  (kHasFma ? optim_fma::adam_step : optim_base::adam_step)(dt, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, n,
                                                            meta, step, lr, beta1, beta2, eps, weight_decay, decoupled);
}
