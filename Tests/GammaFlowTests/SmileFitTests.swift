import Foundation
import Testing

@testable import GammaFlow

/// The market of the synthetic smile tests, and k = ln(K/F)/sqrt(T) in it.
protocol SmileTestMarket {}

extension SmileTestMarket {
    var market: MarketParameters { MarketParameters(spot: 4_700, rate: 0.05, dividendYield: 0.015) }

    /// k = ln(K/F)/sqrt(T) for the test market.
    func k(_ K: Double, _ T: Double) -> Double {
        log(K / (4_700 * exp(0.035 * T))) / T.squareRoot()
    }
}

@Suite struct SmileFitTests: SmileTestMarket {

    @Test(arguments: [SmileModel.quadratic, .cubic])
    func exactRecoveryOfAPolynomialSmile(model: SmileModel) {
        let truth: [Double] = model == .quadratic ? [0.18, -0.09, 0.04] : [0.18, -0.09, 0.04, 0.006]
        var strikes = [Double](), years = [Double](), vols = [Double]()
        for T in [2.0 / 365, 0.1, 0.75] {
            for K in stride(from: 3_800.0, through: 5_600, by: 50) {
                strikes.append(K)
                years.append(T)
                vols.append(model.vol(at: k(K, T), coefficients: truth))
            }
        }
        for weighting in SmileWeighting.allCases {
            let fit = SmileFit(
                strikes: strikes, years: years, vols: vols, market: market, model: model, weighting: weighting)
            #expect(fit.expiries.count == 3)
            for e in fit.expiries {
                #expect(e.status == .fitted)
                for (c, t) in zip(e.coefficients, truth) {
                    #expect(abs(c - t) < 1e-11, "\(model) \(weighting) T=\(e.years): \(e.coefficients)")
                }
                #expect(e.rmsVolPoints < 1e-9, "rms \(e.rmsVolPoints)")
            }
            // Reading the smile back at a quoted point and between quotes.
            let v = fit.vol(strike: 4_725, years: 0.1)!
            #expect(abs(v - model.vol(at: k(4_725, 0.1), coefficients: truth)) < 1e-12)
        }
    }

    /// A low-vega outlier far in the wing drags the uniform fit most, the vega^2 fit least.
    @Test func weightsMatter() {
        let T = 0.1
        let truth = [0.18, -0.09, 0.04]
        var strikes = Array(stride(from: 4_300.0, through: 5_100, by: 25))
        var vols = strikes.map { SmileModel.quadratic.vol(at: k($0, T), coefficients: truth) }
        strikes.append(3_300)  // k about -3.3: vega is about 1% of the at-the-money vega
        vols.append(SmileModel.quadratic.vol(at: k(3_300, T), coefficients: truth) + 0.2)
        let years = Array(repeating: T, count: strikes.count)
        let uniform = SmileFit(strikes: strikes, years: years, vols: vols, market: market, weighting: .uniform)
        let vega = SmileFit(strikes: strikes, years: years, vols: vols, market: market, weighting: .vega)
        let vega2 = SmileFit(strikes: strikes, years: years, vols: vols, market: market, weighting: .vegaSquared)
        let atm = 4_700 * exp(0.035 * T)
        let errUniform = abs(uniform.vol(strike: atm, years: T)! - truth[0])
        let errVega = abs(vega.vol(strike: atm, years: T)! - truth[0])
        let errVega2 = abs(vega2.vol(strike: atm, years: T)! - truth[0])
        print("ATM vol error: uniform \(errUniform), vega \(errVega), vega^2 \(errVega2)")
        #expect(errVega < 0.75 * errUniform, "uniform \(errUniform) vega \(errVega)")
        #expect(errVega2 < errVega, "vega \(errVega) vega^2 \(errVega2)")
        #expect(uniform.expiries[0].weightedRMSVolPoints != vega.expiries[0].weightedRMSVolPoints)
    }

    @Test func degenerateExpiriesGetAStatus() {
        // Expiry A: two quotes for three coefficients; B: five quotes at one
        // strike (rank 1); C: a usable smile.
        let strikes = [4_600.0, 4_700, 4_650, 4_650, 4_650, 4_650, 4_650, 4_500, 4_600, 4_700, 4_800]
        let years = [0.01, 0.01, 0.05, 0.05, 0.05, 0.05, 0.05, 0.2, 0.2, 0.2, 0.2]
        let vols = [0.2, 0.19, 0.2, 0.2, 0.2, 0.2, 0.2, 0.22, 0.2, 0.19, 0.185]
        let fit = SmileFit(strikes: strikes, years: years, vols: vols, market: market)
        #expect(
            fit.expiries.map(\.status) == [
                .tooFewPoints(found: 2, needed: 3), .rankDeficient(rank: 1, needed: 3), .fitted,
            ])
        #expect(fit.expiries[0].coefficients.isEmpty)
        // The degenerate expiries borrow the nearest fitted smile at the same k.
        let c = fit.expiries[2].coefficients
        let borrowed = max(SmileModel.quadratic.vol(at: k(4_650, 0.01), coefficients: c), fit.volFloor)
        #expect(fit.vol(strike: 4_650, years: 0.01) == borrowed)
        // Nothing fitted at all: nil, not a crash.
        let none = SmileFit(strikes: [4_700], years: [0.1], vols: [0.2], market: market)
        #expect(none.vol(strike: 4_700, years: 0.1) == nil)
        let empty = SmileFit(strikes: [], years: [], vols: [], market: market)
        #expect(empty.expiries.isEmpty && empty.vol(strike: 4_700, years: 0.1) == nil)
    }

    /// Between expiries the total variance is linear in T at fixed k.
    @Test func totalVarianceInterpolation() {
        let strikes = Array(stride(from: 4_500.0, through: 4_900, by: 50))
        let n = strikes.count
        let fit = SmileFit(
            strikes: strikes + strikes, years: Array(repeating: 0.1, count: n) + Array(repeating: 0.3, count: n),
            vols: Array(repeating: 0.2, count: n) + Array(repeating: 0.3, count: n), market: market)
        let v = fit.vol(strike: 4_700, years: 0.2)!
        let expected = ((0.04 * 0.1 + 0.09 * 0.3) / 2 / 0.2).squareRoot()
        #expect(abs(v - expected) < 1e-12, "\(v) vs \(expected)")
    }

    /// Sticky moneyness: moving spot and strike together leaves the vol unchanged;
    /// sticky strike (the fit's spot) does not move with spot.
    @Test func stickyMoneyness() {
        let T = 0.1
        let strikes = Array(stride(from: 4_300.0, through: 5_100, by: 25))
        let vols = strikes.map { SmileModel.quadratic.vol(at: k($0, T), coefficients: [0.18, -0.09, 0.04]) }
        let fit = SmileFit(
            strikes: strikes, years: Array(repeating: T, count: strikes.count), vols: vols, market: market)
        let a = fit.vol(strike: 4_600, years: T, spot: 4_700)!
        let b = fit.vol(strike: 4_600 * 1.03, years: T, spot: 4_700 * 1.03)!
        #expect(abs(a - b) < 1e-12)
        let moved = fit.vol(strike: 4_600, years: T, spot: 4_800)!
        // With negative skew a fixed strike moves down the smile as spot rises: its vol rises.
        #expect(moved > a, "sticky moneyness with negative skew: \(moved) at spot 4800 vs \(a) at 4700")
        #expect(fit.vol(strike: 4_600, years: T) == a)
    }

    @Test func fillsFlaggedVolsOfAChain() throws {
        let now = Date(timeIntervalSince1970: 1_704_466_800)
        let T = 0.1
        let strikes = Array(stride(from: 4_300.0, through: 5_100, by: 50))
        let truth = strikes.map { SmileModel.quadratic.vol(at: k($0, T), coefficients: [0.18, -0.09, 0.04]) }
        var quoted = truth
        quoted[3] = 0.9  // a bad quote, flagged below
        let n = strikes.count
        let chain = try OptionChain(
            symbols: Array(repeating: "SPXW", count: n), strikes: strikes,
            expiries: Array(repeating: now.addingTimeInterval(T * 365 * 86_400), count: n),
            kinds: Array(repeating: .call, count: n), impliedVols: quoted, openInterest: Array(repeating: 1, count: n),
            valuationTime: now)
        var bad = Array(repeating: false, count: n)
        bad[3] = true
        let fit = SmileFit(chain: chain, market: market, include: bad.map { !$0 })
        let (filled, count, unfilled) = chain.fillingImpliedVols(from: fit, where: bad)
        #expect(count == 1 && unfilled.isEmpty)
        #expect(abs(filled.impliedVols[3] - truth[3]) < 1e-10, "\(filled.impliedVols[3]) vs \(truth[3])")
        #expect(filled.impliedVols[4] == quoted[4])
    }
}

/// Smiles fitted to the vendor IVs of the CBOE SPX snapshot (out-of-the-money
/// side of each strike), per expiry; prints the RMS in vol points. Skipped
/// when the sample is absent.
@Suite struct SmileFitCBOESampleTests {
    static let path = CBOESamples.spx

    @Test(.enabled(if: FileManager.default.fileExists(atPath: path)))
    func fitsTheSPXSnapshot() throws {
        let records = try CSVReader.records(path: Self.path)
        // Line 1: "... ,Last: 4697.2402,..."; the data is the close of Friday
        // 2024-01-05, valued here at 16:00 New York that day (21:00 UTC).
        let spot = Double(
            records[0].fields[1].replacingOccurrences(of: "Last:", with: "").trimmingCharacters(in: .whitespaces))!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "America/New_York")
        formatter.dateFormat = "EEE MMM dd yyyy"
        let valuation = formatter.date(from: "Fri Jan 05 2024")!.addingTimeInterval(16 * 3_600)
        var strikes = [Double](), years = [Double](), vols = [Double]()
        for r in records.dropFirst(3) where r.fields.count >= 22 {
            guard let day = formatter.date(from: r.fields[0]), let K = Double(r.fields[11]) else { continue }
            let T = day.addingTimeInterval(16 * 3_600).timeIntervalSince(valuation) / 31_536_000
            // Calls above spot, puts below: the liquid out-of-the-money side.
            let iv = Double(K >= spot ? r.fields[7] : r.fields[18]) ?? 0
            guard T > 0, iv > 0 else { continue }
            strikes.append(K)
            years.append(T)
            vols.append(iv)
        }
        let market = MarketParameters(spot: spot)
        for model in SmileModel.allCases {
            let fit = SmileFit(strikes: strikes, years: years, vols: vols, market: market, model: model)
            let fitted = fit.fittedExpiries
            #expect(fitted.count > 10, "\(model): \(fitted.count) expiries fitted")
            let rms = fitted.map(\.rmsVolPoints).sorted()
            let weighted = fitted.map(\.weightedRMSVolPoints).sorted()
            print(
                "SPX \(model): \(fitted.count) of \(fit.expiries.count) expiries fitted, \(strikes.count) quotes; RMS vol points median \(rms[rms.count / 2]), max \(rms.last!); vega-weighted RMS median \(weighted[weighted.count / 2])"
            )
            for e in fit.expiries.prefix(4) {
                print(
                    "  T=\(e.years) n=\(e.pointCount) \(e.status) rms=\(e.rmsVolPoints) weighted=\(e.weightedRMSVolPoints)"
                )
            }
            #expect(
                weighted[weighted.count / 2] < 5, "median vega-weighted RMS \(weighted[weighted.count / 2]) vol points")
        }
    }
}
