import RealModule

// The straightforward yardstick: Newton's method on the textbook Black
// formula, safeguarded by a bisection bracket, one option at a time. It is
// what most code does; the benchmark sets it beside Let's Be Rational.
//
//   start  sigma0 = sqrt(2 |ln(F/K)| / T), clamped to [0.05, 2]
//   step   sigma' = sigma - (c(sigma) - c*) / vega(sigma), bisection if outside the bracket
//   stop   |sigma' - sigma| <= 1e-14 sigma, or 100 steps
//
// Its accuracy is that of the textbook formula: deep out of the money and
// near expiry the difference F N(d1) - K N(d2) cancels, and the solve
// inherits that error.

extension _IVKernel {
    /// One chunk with the baseline, option by option.
    static func runBaseline(_ a: _Inputs, range: Range<Int>) {
        for i in range {
            let T = a.years[i]
            let (x, beta) = normalise(
                price: a.price[i], strike: a.strike[i], years: T, forward: a.forward?[i], discount: a.discount?[i],
                spot: a.spot, rate: a.rate, dividendYield: a.dividendYield)
            let (vol, code) = _newtonBisection(beta: beta, x: x, phi: a.phi[i], years: T)
            a.vol[i] = vol
            a.status[i] = code
        }
    }
}

/// Newton with a bisection safeguard on the normalised textbook formula
/// b = phi (e^(x/2) N(phi d1) - e^(-x/2) N(phi d2)), d1,2 = x/s +- s/2.
/// - Returns: sigma (0 unless ok) and the ``IVStatus`` raw value.
func _newtonBisection(beta: Double, x: Double, phi: Double, years T: Double) -> (Double, UInt8) {
    guard T > 0 else { return (0, IVStatus.expired.rawValue) }
    guard beta > 0 else { return (0, IVStatus.noQuote.rawValue) }
    let ex = Double.exp(0.5 * x)
    let intrinsic = Swift.max(phi * (ex - 1 / ex), 0)
    let upper = phi > 0 ? ex : 1 / ex
    guard beta > intrinsic else { return (0, IVStatus.belowIntrinsic.rawValue) }
    guard beta < upper else { return (0, IVStatus.aboveUpperBound.rawValue) }
    let sqrtT = T.squareRoot()
    func value(_ sigma: Double) -> (b: Double, vega: Double) {
        let s = sigma * sqrtT
        let d1 = x / s + 0.5 * s
        let d2 = d1 - s
        let b = phi * (ex * BlackScholes.normalCDF(phi * d1) - BlackScholes.normalCDF(phi * d2) / ex)
        return (b, ex * BlackScholes.normalDensity(d1) * sqrtT)
    }
    var lo = 1e-8
    var hi = 10.0
    while value(hi).b < beta && hi < 1e6 { hi *= 4 }
    var sigma = Swift.min(Swift.max((2 * Swift.abs(x) / T).squareRoot(), 0.05), 2)
    for _ in 0..<100 {
        let (b, vega) = value(sigma)
        if b > beta { hi = sigma } else { lo = sigma }
        var next = sigma - (b - beta) / vega
        if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
        let done = Swift.abs(next - sigma) <= 1e-14 * sigma
        sigma = next
        if done { break }
    }
    return (sigma, IVStatus.ok.rawValue)
}
