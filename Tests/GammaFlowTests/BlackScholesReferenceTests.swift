import Foundation
import Testing

@testable import GammaFlow

/// The first of three independent checks (STYLE.md 8): published values and
/// high-precision values at exact double inputs.
@Suite struct BlackScholesReferenceTests {
    /// One published figure: the option, which Greek, the printed value and
    /// half a unit of its last printed digit.
    struct Published: CustomStringConvertible {
        let source: String
        let x: OptionInputs
        let greek: Greek
        let value: Double
        let halfUnit: Double
        var description: String { "\(source): \(greek) of \(x) = \(value)" }
    }

    static func option(_ kind: OptionKind, S: Double, K: Double, T: Double, sigma: Double, r: Double, q: Double)
        -> OptionInputs
    { OptionInputs(kind: kind, S: S, K: K, T: T, sigma: sigma, r: r, q: q) }

    // Haug, The Complete Guide to Option Pricing Formulas (1st ed. 1998, pp. 2-8
    // and the Greeks of ch. 2; the same examples are in ch. 1-2 of the 2nd ed.),
    // as tabulated in QuantLib's test-suite/europeanoption.cpp (testValues,
    // testGreekValues). Haug's cost of carry b is r - q here. Theta is per year.
    static let haug: [Published] = [
        .init(
            source: "Haug 1.1.1 BSM call", x: option(.call, S: 60, K: 65, T: 0.25, sigma: 0.30, r: 0.08, q: 0),
            greek: .price, value: 2.1334, halfUnit: 5e-5),
        .init(
            source: "Haug 1.1.2 Merton put", x: option(.put, S: 100, K: 95, T: 0.5, sigma: 0.20, r: 0.10, q: 0.05),
            greek: .price, value: 2.4648, halfUnit: 5e-5),
        .init(
            source: "Haug 1.1.3 Black-76 put (b = 0)",
            x: option(.put, S: 19, K: 19, T: 0.75, sigma: 0.28, r: 0.10, q: 0.10), greek: .price, value: 1.7011,
            halfUnit: 5e-5),
        .init(
            source: "Haug 1.1.3 Black-76 call (b = 0)",
            x: option(.call, S: 19, K: 19, T: 0.75, sigma: 0.28, r: 0.10, q: 0.10), greek: .price, value: 1.7011,
            halfUnit: 5e-5),
        .init(
            source: "Haug 1.1.5 Garman-Kohlhagen call",
            x: option(.call, S: 1.56, K: 1.60, T: 0.5, sigma: 0.12, r: 0.06, q: 0.08), greek: .price, value: 0.0291,
            halfUnit: 5e-5),
        .init(
            source: "Haug 1.1.6 generalized BSM put",
            x: option(.put, S: 75, K: 70, T: 0.5, sigma: 0.35, r: 0.10, q: 0.05), greek: .price, value: 4.0870,
            halfUnit: 5e-5),
        .init(
            source: "Haug 2.1.1 delta, call", x: option(.call, S: 105, K: 100, T: 0.5, sigma: 0.36, r: 0.10, q: 0.10),
            greek: .delta, value: 0.5946, halfUnit: 5e-5),
        .init(
            source: "Haug 2.1.1 delta, put", x: option(.put, S: 105, K: 100, T: 0.5, sigma: 0.36, r: 0.10, q: 0.10),
            greek: .delta, value: -0.3566, halfUnit: 5e-5),
        .init(
            source: "Haug 2.2.1 gamma, call", x: option(.call, S: 55, K: 60, T: 0.75, sigma: 0.30, r: 0.10, q: 0),
            greek: .gamma, value: 0.0278, halfUnit: 5e-5),
        .init(
            source: "Haug 2.2.1 gamma, put", x: option(.put, S: 55, K: 60, T: 0.75, sigma: 0.30, r: 0.10, q: 0),
            greek: .gamma, value: 0.0278, halfUnit: 5e-5),
        .init(
            source: "Haug 2.3.1 vega, call", x: option(.call, S: 55, K: 60, T: 0.75, sigma: 0.30, r: 0.10, q: 0),
            greek: .vega, value: 18.9358, halfUnit: 5e-5),
        .init(
            source: "Haug 2.3.1 vega, put", x: option(.put, S: 55, K: 60, T: 0.75, sigma: 0.30, r: 0.10, q: 0),
            greek: .vega, value: 18.9358, halfUnit: 5e-5),
        .init(
            source: "Haug 2.4.1 theta, put (per year)",
            x: option(.put, S: 430, K: 405, T: 1.0 / 12.0, sigma: 0.20, r: 0.07, q: 0.05), greek: .theta,
            value: -31.1924, halfUnit: 5e-5),
    ]

    // Hull, Options, Futures, and Other Derivatives (8th ed.), the running
    // example of ch. 18 "The Greek letters": S = 49, K = 50, r = 5%,
    // sigma = 20%, T = 20 weeks; delta 0.522, gamma 0.066, vega 12.1 per 1.00
    // of vol, theta -4.31 per year (printed to three significant digits).
    static let hull: [Published] = {
        let x = option(.call, S: 49, K: 50, T: 20.0 / 52.0, sigma: 0.20, r: 0.05, q: 0)
        return [
            .init(source: "Hull ch. 18 delta", x: x, greek: .delta, value: 0.522, halfUnit: 5e-4),
            .init(source: "Hull ch. 18 gamma", x: x, greek: .gamma, value: 0.066, halfUnit: 5e-4),
            .init(source: "Hull ch. 18 vega", x: x, greek: .vega, value: 12.1, halfUnit: 5e-2),
            .init(source: "Hull ch. 18 theta", x: x, greek: .theta, value: -4.31, halfUnit: 5e-3),
        ]
    }()

    @Test(arguments: haug + hull)
    func publishedValue(_ p: Published) {
        let computed = p.greek.of(p.x.reference)
        // The published figure is the exact value rounded to its last digit.
        #expect(abs(computed - p.value) <= p.halfUnit * (1 + 1e-9), "\(p): computed \(computed)")
    }

    @Test func hullThetaPerCalendarDayAndHaugThetaPerDay() {
        let haugPut = Self.haug.first { $0.greek == .theta }!.x.reference
        // Haug 2.4.1: -31.1924 per year is -0.0855 per calendar day.
        #expect(abs(haugPut.thetaPerCalendarDay - -0.0855) <= 5e-5, "\(haugPut.thetaPerCalendarDay)")
        // Haug 2.3.1's vega per vol point.
        let haugCall = Self.haug.first { $0.greek == .vega }!.x.reference
        #expect(abs(haugCall.vegaPerVolPoint - 0.189358) <= 5e-7, "\(haugCall.vegaPerVolPoint)")
    }

    /// Scaled-error tolerance (units of eps = 2^-52, see `GreekErrorModel`)
    /// for the reference and both batch paths against the 60-digit values.
    /// Budget: d1 carries ~3 eps * D (log, division, two sums; `kappa` takes
    /// it through n and N), and the closed forms add about one rounding per
    /// operation (up to ~12 for color) plus the exp/erfc errors (<= 2 ulps);
    /// measured worst: 2.03 (Docs/Accuracy.md).
    static let exactTolerance = 8.0

    @Test func referenceMatchesHighPrecisionValues() {
        var worst = [Greek: WorstCase]()
        for (x, exact) in referenceGreekCases() {
            let model = GreekErrorModel(x)
            let g = x.reference
            for greek in Greek.allCases {
                let e = model.error(greek, computed: greek.of(g), reference: greek.of(exact))
                worst[greek, default: .init()].record(e, "\(x) exact \(greek.of(exact)) got \(greek.of(g))")
                #expect(
                    e <= Self.exactTolerance, "\(greek) of \(x): exact \(greek.of(exact)), reference \(greek.of(g))")
            }
        }
        report("reference vs mpmath", worst)
    }

    @Test(arguments: [GreekSelection.all, .gammaVanna])
    func batchPathsMatchHighPrecisionValues(_ selection: GreekSelection) {
        var worstFresh = [Greek: WorstCase]()
        var worstPrepared = [Greek: WorstCase]()
        // Nine copies: eight go through the SIMD body, one through the scalar twin.
        let copies = 9
        for (x, exact) in referenceGreekCases() {
            let model = GreekErrorModel(x)
            let fresh = _FreshKernel.evaluate(
                strikes: .init(repeating: x.K, count: copies), kinds: .init(repeating: x.kind, count: copies),
                years: .init(repeating: x.T, count: copies), vols: .init(repeating: x.sigma, count: copies),
                market: MarketParameters(spot: x.S, rate: x.r, dividendYield: x.q), selection: selection, threads: 1)
            let prepared = GreeksEvaluator(
                strikes: .init(repeating: x.K, count: copies), kinds: .init(repeating: x.kind, count: copies),
                years: .init(repeating: x.T, count: copies), vols: .init(repeating: x.sigma, count: copies), rate: x.r,
                dividendYield: x.q
            ).greeks(spot: x.S, selection: selection, threads: 1)
            for i in 0..<copies {
                for greek in Greek.members(of: selection) {
                    let want = greek.of(exact)
                    let f = greek.of(fresh[i])
                    let p = greek.of(prepared[i])
                    let ef = model.error(greek, computed: f, reference: want)
                    let ep = model.error(greek, computed: p, reference: want)
                    worstFresh[greek, default: .init()].record(ef, "\(x) exact \(want) got \(f)")
                    worstPrepared[greek, default: .init()].record(ep, "\(x) exact \(want) got \(p)")
                    #expect(ef <= Self.exactTolerance, "fresh[\(i)] \(greek) of \(x): exact \(want), got \(f)")
                    #expect(ep <= Self.exactTolerance, "prepared[\(i)] \(greek) of \(x): exact \(want), got \(p)")
                }
            }
        }
        report("fresh vs mpmath", worstFresh)
        report("prepared vs mpmath", worstPrepared)
    }

    /// Gamma and vega are positive and carry no cancellation: where `kappa`
    /// is small (|d1| and D below 1) the plain relative error is meaningful.
    @Test func gammaAndVegaRelativeErrorNearTheMoney() {
        var worst = WorstCase()
        for (x, exact) in referenceGreekCases() {
            let model = GreekErrorModel(x)
            guard model.kappa <= 2 else { continue }
            let g = x.reference
            for greek in [Greek.gamma, .vega] {
                let e = GreekErrorModel.relative(greek.of(g), greek.of(exact))
                worst.record(e, "\(greek) \(x)")
                #expect(e <= 8 * Double.ulpOfOne, "\(greek) of \(x): exact \(greek.of(exact)), got \(greek.of(g))")
            }
        }
        print("[accuracy] gamma/vega relative error, kappa <= 2: \(worst)")
    }
}

func report(_ title: String, _ worst: [Greek: WorstCase]) {
    for greek in Greek.allCases {
        if let w = worst[greek] { print("[accuracy] \(title) \(greek): \(w.error) eps at \(w.note)") }
    }
}
