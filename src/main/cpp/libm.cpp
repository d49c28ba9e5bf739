// Scalar cos and pow of the platform's C math library, for Java code that must reproduce Python's floats
// (see tl_libm_cos in torchlet.h). Plain calls into libm: no vectorised or inlined variant.
#include <math.h>
#include "torchlet.h"

double tl_libm_cos(double x) { return cos(x); }

double tl_libm_pow(double x, double y) { return pow(x, y); }
