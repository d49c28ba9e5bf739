// The optimizer kernels of optim.cpp, compiled once per instruction set (CMakeLists.txt defines
// TL_OPTIM_ISA as optim_base or optim_fma for each build of it); optim_dispatch.cpp calls one of them.
#pragma once
#include <cstdint>

#define TL_DECLARE_OPTIM_KERNELS(isa)                                                                          \
  namespace isa {                                                                                             \
  void sgd_step(int dt, int64_t param, int64_t grad, int64_t buf, int64_t n, const int64_t* meta, double lr,   \
                double momentum, double dampening, double weight_decay, int nesterov, int first_step);         \
  void rmsprop_step(int dt, int64_t param, int64_t grad, int64_t square_avg, int64_t grad_avg, int64_t buf,    \
                    int64_t n, const int64_t* meta, double lr, double alpha, double eps, double weight_decay,  \
                    double momentum);                                                                         \
  void adam_step(int dt, int64_t param, int64_t grad, int64_t exp_avg, int64_t exp_avg_sq,                     \
                 int64_t max_exp_avg_sq, int64_t n, const int64_t* meta, int64_t step, double lr, double beta1, \
                 double beta2, double eps, double weight_decay, int decoupled);                               \
  }

TL_DECLARE_OPTIM_KERNELS(optim_base)
TL_DECLARE_OPTIM_KERNELS(optim_fma)
