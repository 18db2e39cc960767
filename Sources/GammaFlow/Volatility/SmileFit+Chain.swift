extension SmileFit {
    /// Fits smiles to a chain's implied vols, one per expiry (equal
    /// ``OptionChain/yearsToExpiry``), calls and puts together.
    /// - Parameters:
    ///   - chain: the options and their implied vols.
    ///   - market: spot, r, q for the forwards and the vega weights.
    ///   - model: the smile's form.
    ///   - weighting: how the quotes count.
    ///   - include: optionally, which options' vols are trusted quotes.
    public init(
        chain: OptionChain, market: MarketParameters, model: SmileModel = .quadratic, weighting: SmileWeighting = .vega,
        include: [Bool]? = nil
    ) {
        self.init(
            strikes: chain.strikes, years: chain.yearsToExpiry, vols: chain.impliedVols, market: market, model: model,
            weighting: weighting, include: include)
    }
}

extension OptionChain {
    /// The same chain with the implied vols of the options where `replace`
    /// is true taken from `fit` at the fit's spot (options whose expiry has
    /// no smile nearby keep their vol).
    /// - Returns: the chain, how many vols were filled and the indices that could not be.
    /// - Precondition: `replace.count == count`.
    public func fillingImpliedVols(from fit: SmileFit, where replace: [Bool]) -> (
        chain: OptionChain, filled: Int, unfilled: [Int]
    ) {
        precondition(replace.count == count, "fillingImpliedVols: \(replace.count) flags for \(count) options")
        var vols = impliedVols
        var filled = 0
        var unfilled: [Int] = []
        for i in 0..<count where replace[i] {
            if let v = fit.vol(strike: strikes[i], years: yearsToExpiry[i]) {
                vols[i] = v
                filled += 1
            } else {
                unfilled.append(i)
            }
        }
        return (replacingImpliedVols(vols), filled, unfilled)
    }
}
