// The C library's double-precision log, log1p, sin, cos and pow, for the float64 Box-Muller of PyTorch's
// CPU random fills (dev.torchlet.RandomOps) and the learning-rate schedulers (Python's math.cos and float
// **). PyTorch and Python call these functions of the process's C library (glibc on Linux: not correctly
// rounded, and Java's Math/StrictMath disagree with it in the last bit for about 0.1-7% of arguments), so
// calling the same functions here gives their results bit for bit. Only the calls are here: the arithmetic
// around them (with its fused multiply-adds) stays in Java.
#include <cmath>
#include "torchlet.h"

double tl_libm(int fn, double x) {
  // volatile keeps the compiler from replacing the calls with anything but the library's functions
  volatile double v = x;
  switch (fn) {
    case TL_LIBM_LOG: return std::log(v);
    case TL_LIBM_LOG1P: return std::log1p(v);
    case TL_LIBM_SIN: return std::sin(v);
    case TL_LIBM_COS: return std::cos(v);
    default: return std::nan("");
  }
}

double tl_libm_pow(double x, double y) {
  volatile double v = x;
  return std::pow(v, y);
}
