import RealModule
import Testing

@testable import GammaFlow

/// The second independent check (STYLE.md 8): every Greek against a central
/// finite difference of the reference's price or of a lower Greek, over a
/// grid of S/K, T (one minute to five years), sigma (0.05 to 2), r, q, calls
/// and puts.
///
/// Each derivative is a first central difference of an analytic quantity f
/// (price, delta, gamma or vega) in one variable x:
/// ```
/// f'(x) ~ (f(x + h) - f(x - h)) / (2h),  error ~ h^2 |f'''| / 6 + eps |f| / h
/// ```
/// The error is smallest at h ~ cbrt(eps) times the scale c on which f
/// varies, and is then ~ eps^(2/3) ~ 4e-11 relative to f / c. The scales
/// come from d1: spot moves d1 by 1 over c_S = S v / (1 + |d1|); vol and time
/// move it by 1 over c_sigma = sigma / (1 + d1^2), c_T = T / (1 + d1^2).
/// Gamma is also checked as a second difference of price (h ~ eps^(1/4) c,
/// error ~ sqrt(eps) ~ 1.5e-8).
@Suite struct BlackScholesFiniteDifferenceTests {
    static let grid: [OptionInputs] = {
        var out: [OptionInputs] = []
        let minute = 1.0 / 525_600
        for kind in OptionKind.allCases {
            for K in [50.0, 80, 95, 100, 105, 120, 200] {
                for T in [minute, 1.0 / 365, 30.0 / 365, 1, 5] {
                    for sigma in [0.05, 0.2, 0.6, 2.0] {
                        for (r, q) in [(0.0, 0.0), (0.05, 0.02), (-0.005, 0.03)] {
                            out.append(OptionInputs(kind: kind, S: 100, K: K, T: T, sigma: sigma, r: r, q: q))
                        }
                    }
                }
            }
        }
        return out
    }()

    enum Variable: String { case spot, vol, time }

    struct Check {
        let greek: Greek
        /// What is differentiated.
        let of: Greek
        let variable: Variable
        /// +1, or -1 for the time derivatives (theta, charm, color are -d/dT).
        let sign: Double
    }

    static let checks: [Check] = [
        .init(greek: .delta, of: .price, variable: .spot, sign: 1),
        .init(greek: .gamma, of: .delta, variable: .spot, sign: 1),
        .init(greek: .vega, of: .price, variable: .vol, sign: 1),
        .init(greek: .theta, of: .price, variable: .time, sign: -1),
        .init(greek: .vanna, of: .delta, variable: .vol, sign: 1),
        .init(greek: .vanna, of: .vega, variable: .spot, sign: 1),
        .init(greek: .charm, of: .delta, variable: .time, sign: -1),
        .init(greek: .vomma, of: .vega, variable: .vol, sign: 1),
        .init(greek: .speed, of: .gamma, variable: .spot, sign: 1),
        .init(greek: .zomma, of: .gamma, variable: .vol, sign: 1),
        .init(greek: .color, of: .gamma, variable: .time, sign: -1),
    ]

    /// The tolerance: |fd - analytic| <= 1e-8 scale + 8 eps |f| kappa / h,
    /// with scale the Greek's (`GreekErrorModel`): 1e-8 is 250 eps^(2/3), room for
    /// the constants of the truncation term
    /// (|f'''| c^3 / 6 |f| reaches ~10 near the money at high vol) and for the
    /// eps |f| / h rounding term with f's own cancellation.
    static let tolerance = 1e-8

    static func step(_ variable: Variable, _ x: OptionInputs, power: Double) -> Double {
        let m = GreekErrorModel(x)
        let d = abs(m.d1)
        let scale: Double
        switch variable {
        case .spot: scale = x.S * x.sigma * x.T.squareRoot() / (1 + d)
        case .vol: scale = x.sigma / (1 + d * d)
        case .time: scale = x.T / (1 + d * d)
        }
        return Double.pow(Double.ulpOfOne, power) * scale
    }

    static func shifted(_ x: OptionInputs, _ variable: Variable, by h: Double) -> OptionInputs {
        switch variable {
        case .spot: x.with(S: x.S + h)
        case .vol: x.with(sigma: x.sigma + h)
        case .time: x.with(T: x.T + h)
        }
    }

    @Test(arguments: checks.indices)
    func firstDifference(_ index: Int) {
        let c = Self.checks[index]
        var worst = WorstCase()
        for x in Self.grid {
            let h0 = Self.step(c.variable, x, power: 1.0 / 3)
            // Make x + h and x - h exact so that the step is exactly 2h.
            let base = c.variable == .spot ? x.S : (c.variable == .vol ? x.sigma : x.T)
            let h = (base + h0) - base
            let up = c.of.of(Self.shifted(x, c.variable, by: h).reference)
            let down = c.of.of(Self.shifted(x, c.variable, by: -h).reference)
            let fd = c.sign * (up - down) / (2 * h)
            let analytic = c.greek.of(x.reference)
            let m = GreekErrorModel(x)
            // Beyond |d| = 8 the Greek's Gaussian part and its n(d)-free part
            // vary on scales too far apart for one step; the tails are pinned
            // by the high-precision reference tests instead.
            guard max(abs(m.d1), abs(m.d2)) <= 8 else { continue }
            // Rounding: f(x +- h) each carry ~2 eps kappa of f's terms (the
            // reference tests), divided by 2h; allow 8 eps |f| kappa / h.
            let rounding = 8 * Double.ulpOfOne * m.scale(c.of) * m.kappa / h
            // The error as a fraction of the allowance.
            let e = abs(fd - analytic) / (Self.tolerance * m.scale(c.greek) + rounding)
            worst.record(e, "\(x) fd \(fd) analytic \(analytic) h \(h)")
            #expect(
                e <= 1,
                "\(c.greek) vs d(\(c.of))/d\(c.variable) at \(x): fd \(fd), analytic \(analytic), h \(h)")
        }
        print(
            "[accuracy] finite difference \(c.greek) = d(\(c.of))/d\(c.variable): worst fraction of allowance \(worst)")
    }

    @Test func gammaAsSecondDifferenceOfPrice() {
        var worst = WorstCase()
        for x in Self.grid {
            let h0 = Self.step(.spot, x, power: 0.25)
            let h = (x.S + h0) - x.S
            let up = x.with(S: x.S + h).reference.price
            let mid = x.reference.price
            let down = x.with(S: x.S - h).reference.price
            let fd = (up - 2 * mid + down) / (h * h)
            let m = GreekErrorModel(x)
            guard max(abs(m.d1), abs(m.d2)) <= 8 else { continue }
            // Rounding: 4 eps kappa price / h^2 (~ sqrt(eps) relative to gamma).
            let rounding = 16 * Double.ulpOfOne * m.scale(.price) * m.kappa / (h * h)
            let e = abs(fd - x.reference.gamma) / (1e-6 * m.scale(.gamma) + rounding)
            worst.record(e, "\(x) fd \(fd) analytic \(x.reference.gamma)")
            #expect(e <= 1, "gamma at \(x): second difference \(fd), analytic \(x.reference.gamma), h \(h)")
        }
        print("[accuracy] finite difference gamma = d2(price)/dS2: worst fraction of allowance \(worst)")
    }
}
