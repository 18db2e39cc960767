// Hand-written AVX-512 GEX-profile kernel: the yardstick of issue 4 ("within
// about 1.3x of a hand-written AVX-512 C kernel"). Benchmarks only.
//
// Inputs are prepared once per book (gf_gex_profile_prepare), so the inner
// loop is, per option and grid spot: one FMA for d1 / sqrt 2, one exp of
// -(d1 / sqrt 2)^2 (own vector exp: 2^(j/8) table in one register, degree-6
// polynomial, vscalefpd) and one FMA into the accumulator.
#ifndef GEX_PROFILE_AVX512_H
#define GEX_PROFILE_AVX512_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Per-option invariants, padded to a multiple of 8 with zero weight.
/// d1(S) / sqrt 2 = a[i] ln S + b[i];  GEX(S) = S sum_i w[i] exp(-(a[i] ln S + b[i])^2).
/// a = 1 / (v sqrt 2), b = (-ln K + (r - q) T) / (v sqrt 2) + v / (2 sqrt 2),
/// w = position x multiplier x e^{-qT} / (v sqrt(2 pi)) x 0.01, v = sigma sqrt T.
/// Options with T <= 0 or v < 1e-12 get a = b = w = 0 (contribute nothing).
/// Returns the padded count; a, b, w must have room for it ((n + 7) / 8 * 8).
size_t gf_gex_profile_prepare(size_t n, const double *strike, const double *years, const double *vol,
                              const double *position, const double *multiplier, double rate,
                              double dividend_yield, double *a, double *b, double *w);

/// GEX at spots[0..<m] ($ per 1% move) from prepared invariants (n_padded a
/// multiple of 8). One thread; split the grid across threads for more.
void gf_avx512_gex_profile(size_t n_padded, const double *a, const double *b, const double *w, size_t m,
                           const double *spots, double *gex);

#ifdef __cplusplus
}
#endif

#endif
