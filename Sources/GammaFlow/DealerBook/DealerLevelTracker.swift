import Foundation

/// A ``DealerBook`` watched at one spot, with its levels kept current as
/// trades arrive: the streaming form of ``DealerBook/levels(spot:search:)``
/// for a 0DTE session.
///
/// At construction (and at every ``move(toSpot:)``) the tracker evaluates
/// every option's exposures per contract at spot and its gamma on a cached
/// grid over the search window, once. The cached grid is finer than the
/// search's coarse grid (up to 800 steps, 0.05% at +-20%, while the cache
/// stays under 4 million values) so that the root starts from a narrow
/// bracket. A trade then updates the per-strike sums, the totals and the
/// cached GEX profile in O(grid) time; ``levels`` scans the strikes and
/// refines the zero-gamma root with a few prepared passes. The results agree
/// with a from-scratch ``DealerBook/levels(spot:search:)`` up to rounding of
/// the running sums (and, rarely, where two sign changes share one coarse
/// step, which only the finer grid sees).
public struct DealerLevelTracker: Sendable {
    /// The book, with every trade applied.
    public private(set) var book: DealerBook
    /// The spot the levels are evaluated at, index points.
    public private(set) var spot: Double
    /// The zero-gamma search settings.
    public let search: ZeroGammaSearch

    // Per option, per contract (position 1): $ exposures at spot.
    private var unit: _OptionExposures
    private var callGEX: [Double] = []
    private var putGEX: [Double] = []
    private var total = ExposureTotals()
    private var zeroDTE = ExposureTotals()
    private var grid: [Double] = []
    /// Option-major coarse gamma per contract: `gridGamma[i * grid.count + s]`.
    private var gridGamma: [Double] = []
    /// Dealer gamma on the grid, per index point: `sum_i w_i gamma_i(grid[s])`.
    private var coarse: [Double] = []
    /// `position x multiplier`, zero for degenerate options (added separately).
    private var weights: [Double] = []

    /// Starts tracking `book` at `spot`.
    public init(book: DealerBook, spot: Double, search: ZeroGammaSearch = ZeroGammaSearch()) {
        self.book = book
        self.spot = spot
        self.search = search
        self.unit = _OptionExposures(gex: [], dex: [], vex: [], cexPerHour: [])
        move(toSpot: spot)
    }

    /// Re-evaluates everything at a new spot (a full pass over the book).
    public mutating func move(toSpot S: Double) {
        precondition(S.isFinite && S > 0, "DealerLevelTracker: spot must be finite and positive, got \(S)")
        spot = S
        var perContract = book
        perContract.positions = [Double](repeating: 1, count: book.count)
        unit = perContract.optionExposures(spot: S)
        let n = book.count
        let fine = min(800, max(search.steps, 4_000_000 / max(n, 1))) / search.steps * search.steps
        grid = ZeroGammaSearch(range: search.range, steps: max(fine, search.steps), tolerance: search.tolerance)
            .grid(spot: S)
        let m = grid.count
        // Gamma per contract at every grid spot, kept so a trade updates the
        // coarse profile in O(grid).
        let cols = perContract.chain.multipliers
        gridGamma = [Double](repeating: 0, count: n * m)
        let g = book.evaluator
        for (s, x) in grid.enumerated() {
            let gamma = g.greeks(spot: x, selection: .gamma).gamma
            for i in 0..<n { gridGamma[i * m + s] = gamma[i] * cols[i] }
        }
        weights = zip(book.positions, cols).map { $0 * $1 }
        for i in book.evaluator.columns.degenerate { weights[i] = 0 }
        rebuildSums()
    }

    private mutating func rebuildSums() {
        let n = book.count
        let m = grid.count
        callGEX = [Double](repeating: 0, count: book.layout.strikes.count)
        putGEX = callGEX
        total = ExposureTotals()
        zeroDTE = ExposureTotals()
        coarse = [Double](repeating: 0, count: m)
        for i in 0..<n { add(i, contracts: book.positions[i], grid: false) }
        for i in 0..<n where book.positions[i] != 0 {
            let p = book.positions[i]
            for s in 0..<m { coarse[s] += p * gridGamma[i * m + s] }
        }
    }

    private mutating func add(_ i: Int, contracts q: Double, grid updateGrid: Bool) {
        let t = ExposureTotals(
            gex: q * unit.gex[i], dex: q * unit.dex[i], vex: q * unit.vex[i], cexPerHour: q * unit.cexPerHour[i])
        let k = book.layout.strikeSlot[i]
        if book.chain.kinds[i] == .call { callGEX[k] += t.gex } else { putGEX[k] += t.gex }
        total = total + t
        if book.layout.isZeroDTE[i] { zeroDTE = zeroDTE + t }
        if updateGrid {
            let m = grid.count
            let base = i * m
            for s in 0..<m { coarse[s] += q * gridGamma[base + s] }
        }
    }

    /// Applies one trade (see ``DealerBook/ingest(_:line:source:)``) and
    /// updates the running sums. A rejected trade changes nothing.
    @discardableResult
    public mutating func ingest(_ trade: Trade, line: Int? = nil, source: String = "<trades>") throws(ChainError)
        -> TradeClassification
    {
        guard let i = book.contractIndex(of: trade.symbol) else {
            throw ChainError(
                source: source, line: line, field: "symbol", value: trade.symbol,
                kind: .invalidValue("unknown contract (not a live option of the chain)"))
        }
        let before = book.positions[i]
        let c = try book.ingest(
            contract: i, quantity: trade.quantity, price: trade.price, side: trade.side, bid: trade.bid,
            ask: trade.ask, time: trade.time, line: line, source: source)
        apply(i, from: before)
        return c
    }

    /// Adds `contracts` to the dealer position of option `index` and updates the sums.
    public mutating func adjustPosition(at index: Int, byContracts contracts: Double) {
        let before = book.positions[index]
        book.adjustPosition(at: index, byContracts: contracts)
        apply(index, from: before)
    }

    private mutating func apply(_ i: Int, from before: Double) {
        let after = book.positions[i]
        let q = after - before
        guard q != 0 else { return }
        add(i, contracts: q, grid: true)
        if !book.evaluator.columns.degenerate.contains(i) { weights[i] += q * book.chain.multipliers[i] }
    }

    /// The current levels at ``spot``.
    public var levels: DealerLevels {
        var g = 0.0
        var g0 = 0.0
        for i in 0..<book.count {
            let a = abs(book.positions[i] * unit.gex[i])
            g += a
            if book.layout.isZeroDTE[i] { g0 += a }
        }
        let degenerate = book.evaluator.columns.degenerate
        let empty = book.positions.allSatisfy { $0 == 0 }
        let zero =
            empty
            ? nil
            : weights.withUnsafeBufferPointer { wb in
                DealerBook.zeroGamma(grid: grid, values: coarse, spot: spot, tolerance: search.tolerance) { S in
                    book.evaluator.columns.weightedGamma(spot: S, weights: wb.baseAddress!)
                        + (degenerate.isEmpty ? 0 : book.degenerateGamma(spot: S))
                }
            }
        return DealerBook.levels(
            spot: spot, convention: book.convention, strikes: book.layout.strikes, callGEX: callGEX, putGEX: putGEX,
            total: total, zeroDTE: zeroDTE, zeroDTEGammaShare: g > 0 ? g0 / g : 0, zeroGamma: zero)
    }
}
