import CGammaFlowLinearAlgebra

// The BLAS layer: the only place GammaFlow calls CBLAS. Public types never
// see these pointers.

enum _LinearAlgebra {
    /// `C = A * B^T` with `A` row-major `rows x inner`, `B` row-major
    /// `columns x inner` (so `B^T` is `inner x columns`), `C` row-major
    /// `rows x columns`, through `cblas_dgemm`.
    ///
    /// In the dealer profiles `A` is a Greek matrix (grid spots x options) and
    /// the rows of `B` are position vectors (total, 0DTE, calls, puts, per
    /// expiry), so one call gives every profile at once.
    static func multiplyTransposedB(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        rows: Int, inner: Int, columns: Int
    ) {
        guard rows > 0, columns > 0 else { return }
        guard inner > 0 else {
            c.initialize(repeating: 0, count: rows * columns)
            return
        }
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(columns), Int32(inner), 1.0, a,
            Int32(inner), b, Int32(inner), 0.0, c, Int32(columns))
    }

    /// `y = A x` with `A` row-major `rows x inner`, through `cblas_dgemv`.
    static func multiply(
        _ a: UnsafePointer<Double>, vector x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>,
        rows: Int, inner: Int
    ) {
        guard rows > 0 else { return }
        guard inner > 0 else {
            y.initialize(repeating: 0, count: rows)
            return
        }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(inner), 1.0, a, Int32(inner), x, 1, 0.0, y, 1)
    }
}
