import RealModule

/// Closed-form Black-Scholes-Merton values and Greeks for one European
/// option: the scalar reference that the batch kernels are tested against.
///
/// With `phi = +1` for a call and `-1` for a put, `v = sigma * sqrt(T)`:
/// ```
/// d1 = (ln(S/K) + (r - q + sigma^2/2) T) / v,   d2 = d1 - v
/// price = phi (S e^-qT N(phi d1) - K e^-rT N(phi d2))
/// delta = phi e^-qT N(phi d1)
/// gamma = e^-qT n(d1) / (S v)
/// vega  = S e^-qT n(d1) sqrt(T)
/// theta = -S e^-qT n(d1) sigma / (2 sqrt(T)) + phi (q S e^-qT N(phi d1) - r K e^-rT N(phi d2))
/// vanna = -e^-qT n(d1) d2 / sigma
/// charm = phi q e^-qT N(phi d1) - e^-qT n(d1) (2 (r - q) T - d2 v) / (2 T v)
/// vomma = vega d1 d2 / sigma
/// speed = -gamma (d1 / v + 1) / S
/// zomma = gamma (d1 d2 - 1) / sigma
/// color = e^-qT n(d1) / (2 S T v) (2 q T + 1 + d1 (2 (r - q) T - d2 v) / v)
/// ```
/// (Haug, *The Complete Guide to Option Pricing Formulas*, 2nd ed., ch. 2.)
///
/// This reference uses the platform's `log`, `exp` and `erfc` through
/// swift-numerics' `RealModule`, computes `ln(S/K)` from the ratio corrected
/// by its exact remainder and
/// evaluates `n(d1) = exp(-d1^2/2)/sqrt(2 pi)` with the square split into an
/// exact head and tail, so the only amplified error is the one the
/// conditioning of the Gaussian tail imposes (see `Docs/Accuracy.md`).
///
/// Edge cases (never NaN for validated inputs):
/// - `T <= 0` (at or past expiry): price is the intrinsic value
///   `max(phi (S - K), 0)`; delta is the intrinsic indicator (`phi` in the
///   money, `phi / 2` at the money, 0 out of it); every other Greek is 0.
/// - `T > 0` but `sigma sqrt(T) < 1e-12`: the deterministic-forward limit.
///   price `max(phi (S e^-qT - K e^-rT), 0)`, delta `phi e^-qT` times the
///   forward-moneyness indicator, theta and charm the time derivatives of
///   those, every other Greek 0.
public enum BlackScholes {
    /// Below this `sigma * sqrt(T)` the option is treated as having no time value.
    public static let vanishingTotalVol = 1e-12

    /// The value and all Greeks of one option.
    /// - Parameters:
    ///   - kind: call or put.
    ///   - spot: underlying price S (> 0).
    ///   - strike: K (> 0).
    ///   - years: time to expiry T in years.
    ///   - vol: sigma, annualised decimal (> 0).
    ///   - rate: continuous risk-free rate r, per year.
    ///   - dividendYield: continuous dividend yield q, per year.
    public static func greeks(
        _ kind: OptionKind, spot: Double, strike: Double, years: Double, vol: Double,
        rate: Double = 0, dividendYield: Double = 0
    ) -> OptionGreeks {
        let (S, K, T, sigma, r, q) = (spot, strike, years, vol, rate, dividendYield)
        let phi = kind.phi
        if !(T > 0) { return expiredLimit(phi: phi, spot: S, strike: K) }
        let sqrtT = T.squareRoot()
        let v = sigma * sqrtT
        let dq = Double.exp(-q * T)
        let dr = Double.exp(-r * T)
        if v < vanishingTotalVol {
            return vanishingVolLimit(phi: phi, spot: S, strike: K, dq: dq, dr: dr, q: q, r: r)
        }
        let d1 = (logRatio(S, K) + (r - q) * T) / v + 0.5 * v
        let d2 = d1 - v
        let pdf = normalDensity(d1)
        let cdf1 = normalCDF(phi * d1)
        let cdf2 = normalCDF(phi * d2)
        let gamma = dq * pdf / (S * v)
        let vega = S * dq * pdf * sqrtT
        let carry = 2 * (r - q) * T - d2 * v
        return OptionGreeks(
            price: phi * (S * dq * cdf1 - K * dr * cdf2),
            delta: phi * dq * cdf1,
            gamma: gamma,
            vega: vega,
            theta: -S * dq * pdf * sigma / (2 * sqrtT) + phi * (q * S * dq * cdf1 - r * K * dr * cdf2),
            vanna: -dq * pdf * d2 / sigma,
            charm: phi * q * dq * cdf1 - dq * pdf * carry / (2 * T * v),
            vomma: vega * d1 * d2 / sigma,
            speed: -gamma * (d1 / v + 1) / S,
            zomma: gamma * (d1 * d2 - 1) / sigma,
            color: dq * pdf / (2 * S * T * v) * (2 * q * T + 1 + d1 * carry / v))
    }

    /// The standard normal cumulative distribution `N(x) = erfc(-x/sqrt 2)/2`.
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * Double.erfc(-x * 0.707_106_781_186_547_524_4)
    }

    /// The standard normal density `n(x) = exp(-x^2/2)/sqrt(2 pi)`, with
    /// `x^2` split into an exact head and tail (Dekker) so that large `|x|`
    /// loses no accuracy to the rounding of the square.
    public static func normalDensity(_ x: Double) -> Double {
        let (hi, lo) = exactSquare(x)
        let e = Double.exp(-0.5 * hi)
        return 0.398_942_280_401_432_677_94 * (e - e * (0.5 * lo))
    }

    /// `ln(a / b)` without the rounding error of the quotient: with
    /// `q = a / b` rounded, the remainder `a - q b` is exact (Dekker), and
    /// `ln(a / b) = ln q + (a - q b) / a` to within 2^-106 relative.
    /// Near the money `ln(S/K)` is small, and the quotient's rounding (up to
    /// 2^-53 absolute) would otherwise reach `d1` divided by `sigma sqrt T`.
    static func logRatio(_ a: Double, _ b: Double) -> Double {
        let q = a / b
        let (p, e) = exactProduct(q, b)
        let remainder = (a - p) - e
        return Double.log(q) + remainder * (1 / a)
    }

    /// `a*b` as `hi + lo` exactly (Dekker's product with Veltkamp's split).
    @inlinable
    static func exactProduct(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        let hi = a * b
        let ca = 134_217_729.0 * a  // 2^27 + 1
        let cb = 134_217_729.0 * b
        let ah = ca - (ca - a)
        let al = a - ah
        let bh = cb - (cb - b)
        let bl = b - bh
        let lo = (((ah * bh - hi) + ah * bl) + al * bh) + al * bl
        return (hi, lo)
    }

    /// `x*x` as `hi + lo` exactly (Dekker's product with Veltkamp's split;
    /// no fused multiply-add needed).
    @inlinable
    static func exactSquare(_ x: Double) -> (hi: Double, lo: Double) {
        let hi = x * x
        let c = 134_217_729.0 * x  // 2^27 + 1
        let xh = c - (c - x)
        let xl = x - xh
        let lo = ((xh * xh - hi) + 2 * xh * xl) + xl * xl
        return (hi, lo)
    }

    static func expiredLimit(phi: Double, spot S: Double, strike K: Double) -> OptionGreeks {
        let intrinsic = max(phi * (S - K), 0)
        let indicator: Double = phi * (S - K) > 0 ? 1 : (S == K ? 0.5 : 0)
        return OptionGreeks(
            price: intrinsic, delta: phi * indicator, gamma: 0, vega: 0, theta: 0, vanna: 0,
            charm: 0, vomma: 0, speed: 0, zomma: 0, color: 0)
    }

    static func vanishingVolLimit(
        phi: Double, spot S: Double, strike K: Double, dq: Double, dr: Double, q: Double, r: Double
    ) -> OptionGreeks {
        let moneyness = phi * (S * dq - K * dr)
        let indicator: Double = moneyness > 0 ? 1 : (moneyness == 0 ? 0.5 : 0)
        return OptionGreeks(
            price: max(moneyness, 0),
            delta: phi * dq * indicator,
            gamma: 0, vega: 0,
            theta: indicator * phi * (q * S * dq - r * K * dr),
            vanna: 0,
            charm: indicator * phi * q * dq,
            vomma: 0, speed: 0, zomma: 0, color: 0)
    }
}
