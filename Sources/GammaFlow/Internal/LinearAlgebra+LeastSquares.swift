import CGammaFlowLinearAlgebra

// Weighted linear least squares through LAPACKE, the only place that hands
// GammaFlow's arrays to LAPACK for the smile fits. Callers pass and get
// plain arrays; the pointers stay here.

/// The outcome of one least-squares solve.
struct _LeastSquaresSolution {
    /// The coefficients c minimising || W^(1/2) (A c - y) ||_2 (n values).
    var coefficients: [Double]
    /// The numerical rank of W^(1/2) A found by the SVD.
    var rank: Int
    /// The singular values of W^(1/2) A, largest first.
    var singularValues: [Double]
}

enum _LeastSquares {
    /// Solves min_c sum_i w_i (sum_j A_ij c_j - y_i)^2 by LAPACKE_dgelsd
    /// (SVD with divide and conquer, rank-revealing: singular values below
    /// `rcond` times the largest are treated as zero).
    /// - Parameters:
    ///   - design: A, row-major, `rows * columns` values.
    ///   - rhs: y, `rows` values.
    ///   - weights: w_i >= 0 per row, or nil for equal weights.
    /// - Returns: nil when LAPACK reports failure (the SVD did not converge).
    /// - Precondition: rows >= 1, columns >= 1, consistent lengths, finite values.
    static func solve(
        design: [Double], rows m: Int, columns n: Int, rhs: [Double], weights: [Double]?, rcond: Double = 1e-12
    ) -> _LeastSquaresSolution? {
        precondition(m >= 1 && n >= 1, "least squares: need at least one row and one column")
        precondition(design.count == m * n && rhs.count == m, "least squares: inconsistent sizes")
        precondition(
            weights.map { $0.count == m && $0.allSatisfy { $0 >= 0 && $0.isFinite } } ?? true,
            "least squares: weights must be finite, non-negative, one per row")
        var a = design
        // b holds max(m, n) rows: the solution comes back in its first n.
        var b = [Double](repeating: 0, count: max(m, n))
        for i in 0..<m {
            let root = weights.map { $0[i].squareRoot() } ?? 1
            for j in 0..<n { a[i * n + j] *= root }
            b[i] = rhs[i] * root
        }
        var s = [Double](repeating: 0, count: min(m, n))
        var rank: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                s.withUnsafeMutableBufferPointer { ps in
                    LAPACKE_dgelsd(
                        Int32(LAPACK_ROW_MAJOR), Int32(m), Int32(n), 1, pa.baseAddress, Int32(n), pb.baseAddress, 1,
                        ps.baseAddress, rcond, &rank)
                }
            }
        }
        guard info == 0 else { return nil }
        return _LeastSquaresSolution(coefficients: Array(b.prefix(n)), rank: Int(rank), singularValues: s)
    }
}
