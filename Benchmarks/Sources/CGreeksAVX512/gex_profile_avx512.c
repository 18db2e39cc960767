// Hand-written AVX-512 GEX profile (the yardstick of issue 4).
//
// GEX(S) = sum_i position_i multiplier_i gamma_i(S) S^2 0.01 with
// gamma_i(S) = e^{-q T_i} n(d1_i(S)) / (S v_i); all S-independent factors are
// folded into three per-option columns (see gex_profile_avx512.h), so one
// evaluation is exp(-x^2), x = a ln S + b.
//
// exp(y), y <= 0: k = round(8 y / ln 2) via the 1.5 * 2^52 shifter (its low
// bits index 2^(j/8), j = k mod 8, held in one zmm and picked with vpermpd),
// r = y - k ln2 / 8 (Cody-Waite, two FNMAs, |r| <= ln2 / 16), degree-6 Taylor
// polynomial (truncation < 6e-14 relative), scaled by 2^floor(k / 8) with
// vscalefpd (exact; underflows cleanly to 0 for y < -745).
// Four grid spots per pass over the options (each option's columns loaded once
// for four spots, four independent accumulator chains).

#include "gex_profile_avx512.h"

#include <math.h>

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__FMA__)
#include <immintrin.h>
#define GF_GEX_HAVE_AVX512 1
#else
#define GF_GEX_HAVE_AVX512 0
#endif

size_t gf_gex_profile_prepare(size_t n, const double *strike, const double *years, const double *vol,
                              const double *position, const double *multiplier, double rate,
                              double dividend_yield, double *a, double *b, double *w) {
    const double inv_sqrt2 = 0.70710678118654752440;
    const double inv_sqrt_2pi = 0.39894228040143267794;
    size_t padded = (n + 7) / 8 * 8;
    for (size_t i = 0; i < n; i++) {
        double T = years[i];
        double v = vol[i] * sqrt(T > 0 ? T : 0);
        if (!(T > 0) || !(v >= 1e-12)) {
            a[i] = b[i] = w[i] = 0;
            continue;
        }
        double inv = 1.0 / v;
        a[i] = inv * inv_sqrt2;
        b[i] = ((-log(strike[i]) + (rate - dividend_yield) * T) * inv + 0.5 * v) * inv_sqrt2;
        w[i] = position[i] * multiplier[i] * exp(-dividend_yield * T) * inv * inv_sqrt_2pi * 0.01;
    }
    for (size_t i = n; i < padded; i++) a[i] = b[i] = w[i] = 0;
    return padded;
}

#if GF_GEX_HAVE_AVX512

typedef __m512d V;
#define S1(x) _mm512_set1_pd(x)

// ln2 / 8 split so that k * LN2_8_HI is exact for |k| < 2^20.
static const double LN2_8_HI = 0.693147180369123816490 / 8;
static const double LN2_8_LO = 1.90821492927058770002e-10 / 8;
static const double EIGHT_LOG2E = 8 * 1.44269504088896338700;
static const double SHIFTER = 6755399441055744.0; // 1.5 * 2^52

// w * exp(-x^2) for x = fma(a, lnS, b).
static inline __attribute__((always_inline)) V term(V a, V b, V w, V lnS, V table) {
    V x = _mm512_fmadd_pd(a, lnS, b);
    V y = _mm512_fnmadd_pd(x, x, _mm512_setzero_pd()); // -x^2
    y = _mm512_max_pd(y, S1(-1000.0));                 // keep k finite and small
    V kd = _mm512_fmadd_pd(y, S1(EIGHT_LOG2E), S1(SHIFTER));
    V k = _mm512_sub_pd(kd, S1(SHIFTER));
    V r = _mm512_fnmadd_pd(k, S1(LN2_8_HI), y);
    r = _mm512_fnmadd_pd(k, S1(LN2_8_LO), r);
    V t = _mm512_permutexvar_pd(_mm512_castpd_si512(kd), table); // 2^((k mod 8) / 8)
    V p = S1(1.0 / 720);
    p = _mm512_fmadd_pd(p, r, S1(1.0 / 120));
    p = _mm512_fmadd_pd(p, r, S1(1.0 / 24));
    p = _mm512_fmadd_pd(p, r, S1(1.0 / 6));
    p = _mm512_fmadd_pd(p, r, S1(0.5));
    p = _mm512_fmadd_pd(p, r, S1(1.0));
    p = _mm512_fmadd_pd(p, r, S1(1.0));
    // vscalefpd multiplies by 2^floor(k / 8).
    V wt = _mm512_mul_pd(w, t);
    return _mm512_mul_pd(wt, _mm512_scalef_pd(p, _mm512_mul_pd(k, S1(0.125))));
}

void gf_avx512_gex_profile(size_t n, const double *a, const double *b, const double *w, size_t m,
                           const double *spots, double *gex) {
    const V table = _mm512_set_pd(1.8340080864093424635, 1.6817928305074290861, 1.5422108254079408237,
                                  1.4142135623730950488, 1.2968395546510096660, 1.1892071150027210667,
                                  1.0905077326652576592, 1.0);
    size_t s = 0;
    for (; s + 4 <= m; s += 4) {
        V l0 = S1(log(spots[s])), l1 = S1(log(spots[s + 1]));
        V l2 = S1(log(spots[s + 2])), l3 = S1(log(spots[s + 3]));
        V c0 = _mm512_setzero_pd(), c1 = c0, c2 = c0, c3 = c0;
        for (size_t i = 0; i < n; i += 8) {
            V av = _mm512_loadu_pd(a + i), bv = _mm512_loadu_pd(b + i), wv = _mm512_loadu_pd(w + i);
            c0 = _mm512_add_pd(c0, term(av, bv, wv, l0, table));
            c1 = _mm512_add_pd(c1, term(av, bv, wv, l1, table));
            c2 = _mm512_add_pd(c2, term(av, bv, wv, l2, table));
            c3 = _mm512_add_pd(c3, term(av, bv, wv, l3, table));
        }
        gex[s] = spots[s] * _mm512_reduce_add_pd(c0);
        gex[s + 1] = spots[s + 1] * _mm512_reduce_add_pd(c1);
        gex[s + 2] = spots[s + 2] * _mm512_reduce_add_pd(c2);
        gex[s + 3] = spots[s + 3] * _mm512_reduce_add_pd(c3);
    }
    for (; s < m; s++) {
        V l0 = S1(log(spots[s]));
        V c0 = _mm512_setzero_pd();
        for (size_t i = 0; i < n; i += 8)
            c0 = _mm512_add_pd(c0, term(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), _mm512_loadu_pd(w + i), l0,
                                       table));
        gex[s] = spots[s] * _mm512_reduce_add_pd(c0);
    }
}

#else

void gf_avx512_gex_profile(size_t n, const double *a, const double *b, const double *w, size_t m,
                           const double *spots, double *gex) {
    (void)n, (void)a, (void)b, (void)w, (void)spots;
    for (size_t s = 0; s < m; s++) gex[s] = 0;
}

#endif
