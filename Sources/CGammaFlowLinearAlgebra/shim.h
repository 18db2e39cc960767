// The system BLAS and LAPACKE headers that GammaFlow's internal linear-algebra
// layer calls. Debian/Ubuntu: `apt-get install libopenblas-dev liblapacke-dev`.
#ifndef CGAMMAFLOW_LINEAR_ALGEBRA_SHIM_H
#define CGAMMAFLOW_LINEAR_ALGEBRA_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
