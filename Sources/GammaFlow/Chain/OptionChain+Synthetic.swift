import Foundation

extension OptionChain {
    /// A deterministic, SPX-like synthetic chain for examples, tests and benchmarks.
    ///
    /// Expiries are New York 16:00 on weekdays: daily ones for two weeks
    /// (including today's 0DTE when `valuationTime` is before the close),
    /// Fridays out to three months and third Fridays out to a year. Strikes
    /// run from -30% to +20% of `spot` on SPX-like grids: every 5 points
    /// within 5% of spot, every 10 out to 10%, every 25 beyond (band edges
    /// rounded to 50 points). Each strike has a call and a put.
    ///
    /// Implied vols follow a skewed smile in `x = ln(K/S) / max(sqrt(T), 0.2)`,
    /// higher for low strikes and for short expiries, with 1% seeded noise,
    /// rounded to 1e-4:
    /// ```
    /// atm(T) = 0.145 + 0.045 e^(-T/0.15) + 0.035 e^(-365 T/3)
    /// iv     = atm(T) + 0.22 (-0.75 x + sqrt(x^2 + 0.16) - 0.4)
    /// ```
    /// Open interest (whole contracts) peaks near the money (width growing with
    /// `sqrt(T)`) and on round strikes (multiples of 100, 50, 25), is heavier
    /// on monthly and Friday expiries and on out-of-the-money sides, with
    /// seeded log-normal noise. Multipliers are 100; there are no dealer
    /// positions. Symbols are OCC-style (`SPXW260105C05000000`).
    ///
    /// - Parameters:
    ///   - count: `nil` for the natural chain: seven expiries (0DTE, about 1,
    ///     7, 30, 91, 182 and 365 days out) on the full grid, about 3,000
    ///     options at spot 5000 and 3,500 at spot 6000. Otherwise exactly
    ///     `count` options: the natural expiries below 3,200 options, then
    ///     `count / 400` expiries spread over the whole schedule (at most about
    ///     30), sharing the options equally, the strike
    ///     grid stretched or compressed to fit, strikes rounded to the coarsest
    ///     tick (25 down to 0.01 points) that keeps them distinct.
    ///   - spot: the underlying's price the chain is centred on (index points).
    ///   - valuationTime: the chain's valuation instant; expiries follow it.
    ///   - timeBasis: the chain's time basis.
    ///   - seed: the random seed; the same inputs give the same chain.
    /// - Precondition: `spot` finite and positive, `count` non-negative.
    public static func syntheticSPX(
        count: Int? = nil, spot: Double = 5000, valuationTime: Date, timeBasis: TimeBasis = .act365,
        seed: UInt64 = 1
    ) -> OptionChain {
        precondition(spot.isFinite && spot > 0, "syntheticSPX: spot must be finite and positive, got \(spot)")
        precondition((count ?? 0) >= 0, "syntheticSPX: count must be non-negative")
        let schedule = SyntheticSchedule.expiries(after: valuationTime)
        let grid = SyntheticStrikeGrid(spot: spot)

        // Which expiries, and how many options each.
        let chosen: [SyntheticSchedule.Expiry]
        var perExpiry: [Int]
        if let n = count {
            let natural = SyntheticSchedule.naturalPicks(schedule, from: valuationTime)
            let m = min(schedule.count, max(min(n, natural.count), n / 400))
            chosen = m <= natural.count ? spread(natural, m) : spread(schedule, m)
            perExpiry = (0..<chosen.count).map { n / chosen.count + ($0 < n % chosen.count ? 1 : 0) }
        } else {
            chosen = SyntheticSchedule.naturalPicks(schedule, from: valuationTime)
            perExpiry = Array(repeating: 2 * grid.naturalStrikeCount, count: chosen.count)
        }
        let total = perExpiry.reduce(0, +)

        var rng = SyntheticRNG(seed: seed)
        var symbols: [String] = []
        var strikes: [Double] = []
        var expiries: [Date] = []
        var kinds: [OptionKind] = []
        var vols: [Double] = []
        var openInterest: [Double] = []
        symbols.reserveCapacity(total)
        strikes.reserveCapacity(total)
        expiries.reserveCapacity(total)
        kinds.reserveCapacity(total)
        vols.reserveCapacity(total)
        openInterest.reserveCapacity(total)

        for (e, expiry) in chosen.enumerated() {
            let k = perExpiry[e]
            let years = max(expiry.date.timeIntervalSince(valuationTime) / 31_536_000, 0)
            let strikeList = grid.strikes(count: (k + 1) / 2)
            let atm = 0.145 + 0.045 * exp(-years / 0.15) + 0.035 * exp(-365 * years / 3)
            let smileScale = max(years.squareRoot(), 0.2)
            let oiWidth = 0.03 + 0.12 * years.squareRoot()
            let expiryWeight = (expiry.isMonthly ? 6.0 : expiry.isFriday ? 2.0 : 1.0) * (0.5 + 1.5 * exp(-years / 0.25))
            let prefix = "SPXW" + expiry.yymmdd
            var emitted = 0
            for K in strikeList {
                let m = log(K / spot)
                let x = m / smileScale
                let smile = atm + 0.22 * (-0.75 * x + (x * x + 0.16).squareRoot() - 0.4)
                let roundness =
                    K.truncatingRemainder(dividingBy: 100) == 0
                    ? 3.0
                    : K.truncatingRemainder(dividingBy: 50) == 0
                        ? 1.8 : K.truncatingRemainder(dividingBy: 25) == 0 ? 1.3 : 1.0
                let shape = exp(-0.5 * (m / oiWidth) * (m / oiWidth))
                for kind in [OptionKind.call, .put] where emitted < k {
                    emitted += 1
                    let iv = max(smile * exp(0.01 * rng.gaussian()), 0.01)
                    let outOfMoney = kind == .put ? K < spot : K > spot
                    let side = outOfMoney ? (kind == .put ? 1.6 : 1.3) : 0.5
                    let oi = 1200 * expiryWeight * shape * side * roundness * exp(0.5 * rng.gaussian())
                    symbols.append(prefix + (kind == .call ? "C" : "P") + occStrike(K))
                    strikes.append(K)
                    expiries.append(expiry.date)
                    kinds.append(kind)
                    vols.append((iv * 10_000).rounded() / 10_000)
                    openInterest.append(oi.rounded())
                }
            }
        }
        do {
            return try OptionChain(
                underlying: "SPX", symbols: symbols, strikes: strikes, expiries: expiries, kinds: kinds,
                impliedVols: vols, openInterest: openInterest, valuationTime: valuationTime, timeBasis: timeBasis,
                source: "syntheticSPX")
        } catch {
            preconditionFailure("syntheticSPX built an invalid chain: \(error)")
        }
    }
}

/// `m` elements of `list` spread evenly from its first to its last.
private func spread<T>(_ list: [T], _ m: Int) -> [T] {
    if m >= list.count { return list }
    if m <= 1 { return Array(list.prefix(m)) }
    return (0..<m).map { list[Int((Double($0) * Double(list.count - 1) / Double(m - 1)).rounded())] }
}

/// The OCC strike field: strike times 1000, zero-padded to eight digits.
private func occStrike(_ strike: Double) -> String {
    let digits = String(Int64((strike * 1000).rounded()))
    return digits.count >= 8 ? digits : String(repeating: "0", count: 8 - digits.count) + digits
}

/// The listed expiries of the synthetic chain.
private enum SyntheticSchedule {
    struct Expiry {
        var date: Date
        var days: Double
        var isFriday: Bool
        var isMonthly: Bool
        var yymmdd: String
    }

    /// Daily weekday expiries for 14 days, Fridays to 95 days, third Fridays
    /// to 370 days; all at 16:00 New York and after `valuation`.
    static func expiries(after valuation: Date) -> [Expiry] {
        let cal = NewYorkCalendar.calendar
        let today = cal.startOfDay(for: valuation)
        var out: [Expiry] = []
        for offset in 0...370 {
            guard let day = cal.date(byAdding: .day, value: offset, to: today) else { continue }
            let parts = cal.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let y = parts.year, let mo = parts.month, let d = parts.day, let w = parts.weekday else { continue }
            let friday = w == 6
            let monthly = friday && (15...21).contains(d)
            guard w != 1 && w != 7, offset <= 14 || (friday && offset <= 95) || monthly else { continue }
            guard let close = NewYorkCalendar.instant(year: y, month: mo, day: d, hour: 16), close > valuation else {
                continue
            }
            let code = String(format: "%02d%02d%02d", y % 100, mo, d)
            out.append(
                Expiry(
                    date: close, days: close.timeIntervalSince(valuation) / 86_400, isFriday: friday,
                    isMonthly: monthly, yymmdd: code))
        }
        return out
    }

    /// The natural chain's expiries: for each of 0, 1, 7, 30, 91, 182 and
    /// 365 days out in turn, the nearest one not already taken; in date order.
    static func naturalPicks(_ schedule: [Expiry], from valuation: Date) -> [Expiry] {
        var picked: [Int] = []
        for target in [0.0, 1, 7, 30, 91, 182, 365] {
            let free = schedule.indices.filter { !picked.contains($0) }
            guard let best = free.min(by: { abs(schedule[$0].days - target) < abs(schedule[$1].days - target) })
            else { continue }
            picked.append(best)
        }
        return picked.sorted().map { schedule[$0] }
    }
}

/// Strikes from -30% to +20% of spot, dense near the money: steps of 25, 10,
/// 5, 10, 25 points in the bands cut at -10%, -5%, +5% and +10% (edges
/// rounded to 50 points).
private struct SyntheticStrikeGrid {
    var edges: [Double]
    let steps: [Double] = [25, 10, 5, 10, 25]
    /// Grid steps below each edge (the cumulative count of steps).
    var cumulative: [Double]

    init(spot: Double) {
        var e = [0.70, 0.90, 0.95, 1.05, 1.10, 1.20].map { max(($0 * spot / 50).rounded() * 50, 0) }
        if e[0] <= 0 {
            // Tiny spots: a plain proportional grid with the same band shape.
            e = [0.70, 0.90, 0.95, 1.05, 1.10, 1.20].map { $0 * spot }
        }
        for i in 1..<e.count where e[i] <= e[i - 1] { e[i] = e[i - 1] + 1e-9 * spot }
        edges = e
        var c = [0.0]
        for b in 0..<5 { c.append(c[b] + (e[b + 1] - e[b]) / steps[b]) }
        cumulative = c
    }

    /// Strikes on the full grid (both ends included).
    var naturalStrikeCount: Int { Int(cumulative[5].rounded(.down)) + 1 }

    /// `n` distinct strikes spread over the grid's density, ascending.
    func strikes(count n: Int) -> [Double] {
        if n <= 0 { return [] }
        let totalSteps = cumulative[5]
        if n == 1 { return [position((cumulative[2] + cumulative[3]) / 2)] }
        let spacing = 5 * totalSteps / Double(n - 1)  // in the densest band
        let tick = [25.0, 10, 5, 1, 0.5, 0.25, 0.1, 0.05, 0.01].first { $0 <= spacing * (1 + 1e-12) } ?? 0
        return (0..<n).map { j in
            let k = position(Double(j) * totalSteps / Double(n - 1))
            return tick > 0 ? max((k / tick).rounded() * tick, tick) : k
        }
    }

    /// The strike `c` grid steps above the lowest.
    private func position(_ c: Double) -> Double {
        var b = 0
        while b < 4 && c > cumulative[b + 1] { b += 1 }
        return edges[b] + (c - cumulative[b]) * steps[b]
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast and the same on every platform.
struct SyntheticRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// An approximately standard normal variate (Irwin-Hall sum of four
    /// uniforms, rescaled); bounded by +-3.46, no transcendental functions.
    mutating func gaussian() -> Double {
        (uniform() + uniform() + uniform() + uniform() - 2) * 3.0.squareRoot()
    }
}
