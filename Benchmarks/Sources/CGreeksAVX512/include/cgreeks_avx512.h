// Hand-written AVX-512 Black-Scholes-Merton kernels: the yardstick that the
// Swift SIMD kernels are measured against (issue 2: "within about 1.3x of a
// hand-written AVX-512 C kernel"). Benchmarks only; never a library dependency.
//
// From scratch, from strike / time / vol columns at one spot: ln(S/K),
// sqrt T, e^-qT and the density are computed per option, with the kernel's own
// vector exp and log (no SVML, no libm in the loop).
#ifndef CGREEKS_AVX512_H
#define CGREEKS_AVX512_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this build has the AVX-512 kernels and the CPU runs them, else 0.
int gf_avx512_available(void);

/// Gamma and vanna of options 0..<n at spot S (r, q continuous).
/// Options with T <= 0 or sigma sqrt T < 1e-12 get 0 (the documented limits).
void gf_avx512_gamma_vanna(size_t n, const double *strike, const double *years, const double *vol,
                           double spot, double rate, double dividend_yield, double *gamma, double *vanna);

/// The nine standard Greeks (price, delta, gamma, vega, theta, vanna, charm,
/// vomma, speed) in one pass; phi is +1 for calls and -1 for puts.
/// Degenerate options (T <= 0 or sigma sqrt T < 1e-12) get 0 in every column
/// (the C yardstick does not reproduce the intrinsic limits).
void gf_avx512_standard(size_t n, const double *strike, const double *phi, const double *years,
                        const double *vol, double spot, double rate, double dividend_yield, double *price,
                        double *delta, double *gamma, double *vega, double *theta, double *vanna,
                        double *charm, double *vomma, double *speed);

#ifdef __cplusplus
}
#endif

#endif
