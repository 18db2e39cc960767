// Hand-written AVX-512 Black-Scholes-Merton kernels (the yardstick).
//
// Vector functions (8 doubles per zmm register):
// - exp: n = round(x log2 e), r = x - n ln2 (Cody-Waite, two FMAs), degree-13
//   Taylor polynomial on |r| <= ln2/2 (truncation < 4e-18), scaled by 2^n with
//   vscalefpd (exact, handles subnormal results, 0 and +inf).
// - log: vgetmantpd / vgetexppd, m in [sqrt2/2, sqrt2), then fdlibm's e_log.c
//   polynomial in s = f / (2 + f).
// - normal density with x^2 split exactly by one FMA (hi = x*x, lo = fma(x,x,-hi)).
// - normal CDF: Cephes ndtr (erfc rational approximations), branch-free.
// Same formulas and operation order as GammaFlow's BlackScholes.greeks.

#include "cgreeks_avx512.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__FMA__)
#include <immintrin.h>
#define GF_HAVE_AVX512 1
#else
#define GF_HAVE_AVX512 0
#endif

#if GF_HAVE_AVX512

typedef __m512d V;
#define S1(x) _mm512_set1_pd(x)
#define ADD _mm512_add_pd
#define SUB _mm512_sub_pd
#define MUL _mm512_mul_pd
#define DIV _mm512_div_pd
#define FMA _mm512_fmadd_pd

static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double LOG2E = 1.44269504088896338700e+00;
static const double INV_SQRT_2PI = 0.39894228040143267794;
static const double INV_SQRT2 = 0.70710678118654752440;

// e^(x + tail), |tail| << 1.
static inline __attribute__((always_inline)) V exp_tail(V x, V tail) {
    V n = _mm512_roundscale_pd(MUL(x, S1(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    V r = _mm512_fnmadd_pd(n, S1(LN2_HI), x);
    r = ADD(r, tail);
    r = _mm512_fnmadd_pd(n, S1(LN2_LO), r);
    V p = S1(1.0 / 6227020800.0);
    p = FMA(p, r, S1(1.0 / 479001600.0));
    p = FMA(p, r, S1(1.0 / 39916800.0));
    p = FMA(p, r, S1(1.0 / 3628800.0));
    p = FMA(p, r, S1(1.0 / 362880.0));
    p = FMA(p, r, S1(1.0 / 40320.0));
    p = FMA(p, r, S1(1.0 / 5040.0));
    p = FMA(p, r, S1(1.0 / 720.0));
    p = FMA(p, r, S1(1.0 / 120.0));
    p = FMA(p, r, S1(1.0 / 24.0));
    p = FMA(p, r, S1(1.0 / 6.0));
    p = FMA(p, r, S1(0.5));
    V er = ADD(S1(1.0), FMA(MUL(r, r), p, r));
    // Clamp n so that vscalefpd sees a finite exponent even for huge |x|.
    n = _mm512_max_pd(_mm512_min_pd(n, S1(2000.0)), S1(-2000.0));
    return _mm512_scalef_pd(er, n);
}

static inline __attribute__((always_inline)) V exp_pd(V x) { return exp_tail(x, _mm512_setzero_pd()); }

// ln(x) for positive normal finite x.
static inline __attribute__((always_inline)) V log_pd(V x) {
    V m = _mm512_getmant_pd(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
    V e = _mm512_getexp_pd(x);
    __mmask8 big = _mm512_cmp_pd_mask(m, S1(1.4142135623730950488), _CMP_GT_OQ);
    m = _mm512_mask_mul_pd(m, big, m, S1(0.5));
    e = _mm512_mask_add_pd(e, big, e, S1(1.0));
    V f = SUB(m, S1(1.0));
    V s = DIV(f, ADD(S1(2.0), f));
    V z = MUL(s, s);
    V w = MUL(z, z);
    V t1 = MUL(w, FMA(w, FMA(w, S1(1.531383769920937332e-01), S1(2.222219843214978396e-01)),
                      S1(3.999999999940941908e-01)));
    V t2 = MUL(z, FMA(w, FMA(w, FMA(w, S1(1.479819860511658591e-01), S1(1.818357216161805012e-01)),
                             S1(2.857142874366239149e-01)),
                      S1(6.666666666666735130e-01)));
    V R = ADD(t2, t1);
    V hfsq = MUL(MUL(S1(0.5), f), f);
    // e ln2_hi - ((hfsq - (s (hfsq + R) + e ln2_lo)) - f)
    V inner = FMA(s, ADD(hfsq, R), MUL(e, S1(LN2_LO)));
    return SUB(MUL(e, S1(LN2_HI)), SUB(SUB(hfsq, inner), f));
}

// n(x) = exp(-x^2/2) / sqrt(2 pi), x^2 split exactly.
static inline __attribute__((always_inline)) V normal_density(V x) {
    V hi = MUL(x, x);
    V lo = _mm512_fmsub_pd(x, x, hi);
    return MUL(S1(INV_SQRT_2PI), exp_tail(MUL(S1(-0.5), hi), MUL(S1(-0.5), lo)));
}

// N(x) = erfc(-x / sqrt 2) / 2, Cephes ndtr, every branch computed and blended.
static inline __attribute__((always_inline)) V normal_cdf(V x) {
    V z = MUL(x, S1(-INV_SQRT2));
    V a = _mm512_abs_pd(z);
    // |z| < 1: erfc(z) = 1 - z T(z^2)/U(z^2)
    V zz = MUL(z, z);
    V t = S1(9.60497373987051638749e0);
    t = FMA(t, zz, S1(9.00260197203842689217e1));
    t = FMA(t, zz, S1(2.23200534594684319226e3));
    t = FMA(t, zz, S1(7.00332514112805075473e3));
    t = FMA(t, zz, S1(5.55923013010394962768e4));
    V u = ADD(zz, S1(3.35617141647503099647e1));
    u = FMA(u, zz, S1(5.21357949780152679795e2));
    u = FMA(u, zz, S1(4.59432382970980127987e3));
    u = FMA(u, zz, S1(2.26290000613890934246e4));
    u = FMA(u, zz, S1(4.92673942608635921086e4));
    V small = SUB(S1(1.0), DIV(MUL(z, t), u));
    // 1 <= |z| < 8: P/Q; |z| >= 8: R/S. Numerators and denominators blended first (one division).
    __mmask8 far = _mm512_cmp_pd_mask(a, S1(8.0), _CMP_GE_OQ);
    V p = S1(2.46196981473530512524e-10);
    p = FMA(p, a, S1(5.64189564831068821977e-1));
    p = FMA(p, a, S1(7.46321056442269912687e0));
    p = FMA(p, a, S1(4.86371970985681366614e1));
    p = FMA(p, a, S1(1.96520832956077098242e2));
    p = FMA(p, a, S1(5.26445194995477358631e2));
    p = FMA(p, a, S1(9.34528527171957607540e2));
    p = FMA(p, a, S1(1.02755188689515710272e3));
    p = FMA(p, a, S1(5.57535335369399327526e2));
    V q = ADD(a, S1(1.32281951154744992508e1));
    q = FMA(q, a, S1(8.67072140885989742329e1));
    q = FMA(q, a, S1(3.54937778887819891062e2));
    q = FMA(q, a, S1(9.75708501743205489753e2));
    q = FMA(q, a, S1(1.82390916687909736289e3));
    q = FMA(q, a, S1(2.24633760818710981792e3));
    q = FMA(q, a, S1(1.65666309194161350182e3));
    q = FMA(q, a, S1(5.57535340817727675546e2));
    V rr = S1(5.64189583547755073984e-1);
    rr = FMA(rr, a, S1(1.27536670759978104416e0));
    rr = FMA(rr, a, S1(5.01905042251180477414e0));
    rr = FMA(rr, a, S1(6.16021097993053585195e0));
    rr = FMA(rr, a, S1(7.40974269950448939160e0));
    rr = FMA(rr, a, S1(2.97886665372100240670e0));
    V ss = ADD(a, S1(2.26052863220117276590e0));
    ss = FMA(ss, a, S1(9.39603524938001434673e0));
    ss = FMA(ss, a, S1(1.20489539808096656605e1));
    ss = FMA(ss, a, S1(1.70814450747565897222e1));
    ss = FMA(ss, a, S1(9.60896809063285878198e0));
    ss = FMA(ss, a, S1(3.36907645100081516050e0));
    V num = _mm512_mask_blend_pd(far, p, rr);
    V den = _mm512_mask_blend_pd(far, q, ss);
    V ahi = MUL(a, a);
    V alo = _mm512_fmsub_pd(a, a, ahi);
    V tail = MUL(exp_tail(_mm512_sub_pd(_mm512_setzero_pd(), ahi), _mm512_sub_pd(_mm512_setzero_pd(), alo)),
                 DIV(num, den));
    __mmask8 neg = _mm512_cmp_pd_mask(z, _mm512_setzero_pd(), _CMP_LT_OQ);
    V large = _mm512_mask_sub_pd(tail, neg, S1(2.0), tail);
    __mmask8 isSmall = _mm512_cmp_pd_mask(a, S1(1.0), _CMP_LT_OQ);
    return MUL(S1(0.5), _mm512_mask_blend_pd(isSmall, large, small));
}

int gf_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
}

static inline __mmask8 tail_mask(size_t left) { return left >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << left) - 1u); }

void gf_avx512_gamma_vanna(size_t n, const double *strike, const double *years, const double *vol, double spot,
                           double rate, double dividend_yield, double *gamma, double *vanna) {
    const V Sv = S1(spot);
    const V invS = S1(1.0 / spot);
    const V carry = S1(rate - dividend_yield);
    const V negQ = S1(-dividend_yield);
    for (size_t i = 0; i < n; i += 8) {
        __mmask8 m = tail_mask(n - i);
        V K = _mm512_mask_loadu_pd(S1(1.0), m, strike + i);
        V T = _mm512_maskz_loadu_pd(m, years + i);
        V sigma = _mm512_mask_loadu_pd(S1(1.0), m, vol + i);
        V sqrtT = _mm512_sqrt_pd(T);
        V v = MUL(sigma, sqrtT);
        __mmask8 ok = _mm512_cmp_pd_mask(v, S1(1e-12), _CMP_GE_OQ) & _mm512_cmp_pd_mask(T, _mm512_setzero_pd(), _CMP_GT_OQ);
        v = _mm512_mask_blend_pd(ok, S1(1.0), v);
        V d1 = FMA(S1(0.5), v, DIV(FMA(carry, T, log_pd(DIV(Sv, K))), v));
        V d2 = SUB(d1, v);
        V dq = exp_pd(MUL(negQ, T));
        V dqpdf = MUL(dq, normal_density(d1));
        V g = MUL(DIV(dqpdf, v), invS);
        V va = DIV(MUL(dqpdf, d2), sigma);
        _mm512_mask_storeu_pd(gamma + i, m, _mm512_maskz_mov_pd(ok, g));
        _mm512_mask_storeu_pd(vanna + i, m, _mm512_maskz_mov_pd(ok, _mm512_sub_pd(_mm512_setzero_pd(), va)));
    }
}

void gf_avx512_standard(size_t n, const double *strike, const double *phi, const double *years, const double *vol,
                        double spot, double rate, double dividend_yield, double *price, double *delta, double *gamma,
                        double *vega, double *theta, double *vanna, double *charm, double *vomma, double *speed) {
    const V Sv = S1(spot);
    const V rv = S1(rate);
    const V qv = S1(dividend_yield);
    const V carry = S1(rate - dividend_yield);
    for (size_t i = 0; i < n; i += 8) {
        __mmask8 m = tail_mask(n - i);
        V K = _mm512_mask_loadu_pd(S1(1.0), m, strike + i);
        V ph = _mm512_mask_loadu_pd(S1(1.0), m, phi + i);
        V T = _mm512_maskz_loadu_pd(m, years + i);
        V sigma = _mm512_mask_loadu_pd(S1(1.0), m, vol + i);
        V sqrtT = _mm512_sqrt_pd(T);
        V v = MUL(sigma, sqrtT);
        __mmask8 ok = _mm512_cmp_pd_mask(v, S1(1e-12), _CMP_GE_OQ) & _mm512_cmp_pd_mask(T, _mm512_setzero_pd(), _CMP_GT_OQ);
        v = _mm512_mask_blend_pd(ok, S1(1.0), v);
        T = _mm512_mask_blend_pd(ok, S1(1.0), T);
        sqrtT = _mm512_mask_blend_pd(ok, S1(1.0), sqrtT);
        V d1 = FMA(S1(0.5), v, DIV(FMA(carry, T, log_pd(DIV(Sv, K))), v));
        V d2 = SUB(d1, v);
        V dq = exp_pd(MUL(_mm512_sub_pd(_mm512_setzero_pd(), qv), T));
        V dr = exp_pd(MUL(_mm512_sub_pd(_mm512_setzero_pd(), rv), T));
        V pdf = normal_density(d1);
        V cdf1 = normal_cdf(MUL(ph, d1));
        V cdf2 = normal_cdf(MUL(ph, d2));
        V dqpdf = MUL(dq, pdf);
        V Sdq = MUL(Sv, dq);
        V Kdr = MUL(K, dr);
        V g = DIV(dqpdf, MUL(Sv, v));
        V vg = MUL(MUL(Sv, dqpdf), sqrtT);
        V cr = _mm512_fmsub_pd(MUL(S1(2.0), carry), T, MUL(d2, v));
        V pr = MUL(ph, _mm512_fmsub_pd(Sdq, cdf1, MUL(Kdr, cdf2)));
        V de = MUL(MUL(ph, dq), cdf1);
        V th = SUB(MUL(ph, _mm512_fmsub_pd(MUL(qv, Sdq), cdf1, MUL(MUL(rv, Kdr), cdf2))),
                   DIV(MUL(MUL(Sv, dqpdf), sigma), MUL(S1(2.0), sqrtT)));
        V va = _mm512_sub_pd(_mm512_setzero_pd(), DIV(MUL(dqpdf, d2), sigma));
        V ch = SUB(MUL(MUL(ph, qv), MUL(dq, cdf1)), DIV(MUL(dqpdf, cr), MUL(MUL(S1(2.0), T), v)));
        V vo = DIV(MUL(MUL(vg, d1), d2), sigma);
        V sp = _mm512_sub_pd(_mm512_setzero_pd(), DIV(MUL(g, ADD(DIV(d1, v), S1(1.0))), Sv));
        _mm512_mask_storeu_pd(price + i, m, _mm512_maskz_mov_pd(ok, pr));
        _mm512_mask_storeu_pd(delta + i, m, _mm512_maskz_mov_pd(ok, de));
        _mm512_mask_storeu_pd(gamma + i, m, _mm512_maskz_mov_pd(ok, g));
        _mm512_mask_storeu_pd(vega + i, m, _mm512_maskz_mov_pd(ok, vg));
        _mm512_mask_storeu_pd(theta + i, m, _mm512_maskz_mov_pd(ok, th));
        _mm512_mask_storeu_pd(vanna + i, m, _mm512_maskz_mov_pd(ok, va));
        _mm512_mask_storeu_pd(charm + i, m, _mm512_maskz_mov_pd(ok, ch));
        _mm512_mask_storeu_pd(vomma + i, m, _mm512_maskz_mov_pd(ok, vo));
        _mm512_mask_storeu_pd(speed + i, m, _mm512_maskz_mov_pd(ok, sp));
    }
}

#else  // no AVX-512 at compile time: stubs

int gf_avx512_available(void) { return 0; }
void gf_avx512_gamma_vanna(size_t n, const double *strike, const double *years, const double *vol, double spot,
                           double rate, double dividend_yield, double *gamma, double *vanna) {
    (void)n; (void)strike; (void)years; (void)vol; (void)spot; (void)rate; (void)dividend_yield;
    (void)gamma; (void)vanna;
}
void gf_avx512_standard(size_t n, const double *strike, const double *phi, const double *years, const double *vol,
                        double spot, double rate, double dividend_yield, double *price, double *delta, double *gamma,
                        double *vega, double *theta, double *vanna, double *charm, double *vomma, double *speed) {
    (void)n; (void)strike; (void)phi; (void)years; (void)vol; (void)spot; (void)rate; (void)dividend_yield;
    (void)price; (void)delta; (void)gamma; (void)vega; (void)theta; (void)vanna; (void)charm; (void)vomma;
    (void)speed;
}

#endif
