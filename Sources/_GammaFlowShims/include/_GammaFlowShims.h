// GammaFlow's private C shims: no stable API, internal to the GammaFlow target.
//
// Square roots without errno. Swift's `squareRoot()` lowers to the C
// `__builtin_sqrt`, which on Linux keeps errno semantics unless the build
// passes `-Xcc -fno-math-errno`: every lane becomes a compare, a scalar
// square root and a call into libm for negative input, and the branches
// scalarise the whole kernel around it (measured in the portable build:
// sixteen scalar square roots and their stack spills per sixteen options).
// `__builtin_elementwise_sqrt` is the IEEE square root with no errno (the
// correctly rounded `sqrtsd`/`sqrtpd`/`vsqrtpd`, `fsqrt` on arm64), so these
// inline into one vector instruction in every build.
#ifndef GAMMAFLOW_SHIMS_H
#define GAMMAFLOW_SHIMS_H

typedef double _gf_double8 __attribute__((ext_vector_type(8)));
typedef double _gf_double16 __attribute__((ext_vector_type(16)));

#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_sqrt)

/// The correctly rounded square root of one lane (sqrt(-x) is NaN; no errno).
static inline __attribute__((always_inline)) double _gf_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

/// The correctly rounded square root of every lane of eight.
static inline __attribute__((always_inline)) _gf_double8 _gf_sqrt8(_gf_double8 x) {
    return __builtin_elementwise_sqrt(x);
}

/// The correctly rounded square root of every lane of sixteen.
static inline __attribute__((always_inline)) _gf_double16 _gf_sqrt16(_gf_double16 x) {
    return __builtin_elementwise_sqrt(x);
}

#else  // Older clang: the same values lane by lane (slower where errno is kept).

static inline __attribute__((always_inline)) double _gf_sqrt(double x) { return __builtin_sqrt(x); }

static inline __attribute__((always_inline)) _gf_double8 _gf_sqrt8(_gf_double8 x) {
    _gf_double8 r;
    for (int i = 0; i < 8; i++) r[i] = __builtin_sqrt(x[i]);
    return r;
}

static inline __attribute__((always_inline)) _gf_double16 _gf_sqrt16(_gf_double16 x) {
    _gf_double16 r;
    for (int i = 0; i < 16; i++) r[i] = __builtin_sqrt(x[i]);
    return r;
}

#endif

#endif
