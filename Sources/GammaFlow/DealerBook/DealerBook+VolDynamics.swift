import Foundation

/// How implied vols move when spot moves, in profiles.
///
/// - ``stickyStrike``: every option keeps its implied vol (the default;
///   profiles then cost one `exp` per option and spot with the prepared invariants).
/// - ``stickyMoneyness``: every option takes the vol its expiry's smile gives
///   at its new log-moneyness `ln(K / S')`, so the smile moves with spot. The
///   smile is the chain's own vols per expiry, piecewise linear in `ln(K / S)`
///   (calls and puts at one strike averaged), flat beyond the last strikes;
///   or a fitted ``SmileFit`` through ``DealerBook/profile(spots:smile:method:splitByExpiry:threads:)``.
///   Each grid spot re-prepares the book (a log per option).
public enum VolDynamics: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case stickyStrike = "sticky-strike"
    case stickyMoneyness = "sticky-moneyness"

    /// `sticky strike` or `sticky moneyness`.
    public var description: String { self == .stickyStrike ? "sticky strike" : "sticky moneyness" }
}

extension DealerBook {
    /// Exposures at every spot of `spots` under `dynamics`. With
    /// ``VolDynamics/stickyStrike`` this is ``profile(spots:method:splitByExpiry:threads:)``;
    /// with ``VolDynamics/stickyMoneyness`` the vols of each grid spot come
    /// from the smile anchored at `spot` (index points, the spot the chain's
    /// vols were observed at). Units are those of ``ExposureProfile``.
    public func profile(
        spots: [Double], dynamics: VolDynamics, anchorSpot spot: Double, method: ProfileMethod = .automatic,
        splitByExpiry: Bool = false, threads: Int? = nil
    ) -> ExposureProfile {
        guard dynamics == .stickyMoneyness else {
            return profile(spots: spots, method: method, splitByExpiry: splitByExpiry, threads: threads)
        }
        precondition(spot.isFinite && spot > 0, "DealerBook: anchor spot must be finite and positive")
        let smiles = smileNodes(spot: spot)
        return profile(spots: spots, method: method, splitByExpiry: splitByExpiry, threads: threads) { S in
            (0..<count).map { i in
                Self.interpolate(smiles[layout.expirySlot[i]], at: Foundation.log(chain.strikes[i] / S))
            }
        }
    }

    /// Exposures at every spot of `spots` with sticky-moneyness vols from a
    /// fitted smile: at grid spot `S'` each option takes
    /// `smile.vol(strike: K, years: T, spot: S')` (the fitted smile at its
    /// log-moneyness `ln(K / F(S')) / sqrt(T)`), or keeps its own vol where
    /// the fit has no smile. Units are those of ``ExposureProfile``.
    public func profile(
        spots: [Double], smile: SmileFit, method: ProfileMethod = .automatic, splitByExpiry: Bool = false,
        threads: Int? = nil
    ) -> ExposureProfile {
        profile(spots: spots, method: method, splitByExpiry: splitByExpiry, threads: threads) { S in
            smile.vols(strikes: chain.strikes, years: chain.yearsToExpiry, spot: S, fallback: chain.impliedVols)
        }
    }

    /// The profile with the vols `volsAt(S')` at each grid spot `S'`: the
    /// book is re-prepared per spot (a log per option).
    func profile(
        spots: [Double], method: ProfileMethod, splitByExpiry: Bool, threads: Int?,
        volsAt: (Double) -> [Double]
    ) -> ExposureProfile {
        var rows: [ExposureProfile] = []
        for S in spots {
            let moved = replacingImpliedVols(volsAt(S))
            rows.append(moved.profile(spots: [S], method: method, splitByExpiry: splitByExpiry, threads: threads))
        }
        func column(_ key: KeyPath<ExposureProfile, [Double]>) -> [Double] { rows.map { $0[keyPath: key][0] } }
        return ExposureProfile(
            spots: spots, gex: column(\.gex), dex: column(\.dex), vex: column(\.vex), gexZeroDTE: column(\.gexZeroDTE),
            gexCalls: column(\.gexCalls), gexPuts: column(\.gexPuts),
            gexByExpiry: splitByExpiry
                ? layout.expiries.enumerated().map { e, date in (date, rows.map { $0.gexByExpiry[e].gex[0] }) } : [],
            method: rows.first?.method ?? (method == .automatic ? .fused : method), convention: convention)
    }

    /// Per expiry, the smile as ascending `(ln(K / spot), vol)` nodes, the
    /// vols of options sharing a strike averaged.
    func smileNodes(spot: Double) -> [[(x: Double, vol: Double)]] {
        var sums = [[Double: (Double, Int)]](repeating: [:], count: layout.expiries.count)
        for i in 0..<count {
            let e = layout.expirySlot[i]
            let k = chain.strikes[i]
            let old = sums[e][k] ?? (0, 0)
            sums[e][k] = (old.0 + chain.impliedVols[i], old.1 + 1)
        }
        return sums.map { table in
            table.map { (x: Foundation.log($0.key / spot), vol: $0.value.0 / Double($0.value.1)) }.sorted {
                $0.x < $1.x
            }
        }
    }

    /// Linear interpolation in `nodes` (ascending x), flat beyond the ends.
    static func interpolate(_ nodes: [(x: Double, vol: Double)], at x: Double) -> Double {
        guard let first = nodes.first, let last = nodes.last else { return 0.2 }
        if x <= first.x { return first.vol }
        if x >= last.x { return last.vol }
        var lo = 0
        var hi = nodes.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if nodes[mid].x <= x { lo = mid } else { hi = mid }
        }
        let (a, b) = (nodes[lo], nodes[hi])
        return a.vol + (b.vol - a.vol) * (x - a.x) / (b.x - a.x)
    }
}
