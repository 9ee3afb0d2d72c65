/// A dense row-major matrix: `rows × columns` scalars, row `i` at `storage[i*columns ..< (i+1)*columns]`.
///
/// Point sets are matrices with one point per row. Products go through ``BLASScalar/gemm``
/// (OpenBLAS), so `Matrix<Float>` and `Matrix<Double>` share one code path.
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Scalar]

    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) scalars, not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix whose rows are `rows` (all of the same length).
    public init(rowVectors: [[Scalar]]) {
        let columns = rowVectors.first?.count ?? 0
        precondition(rowVectors.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: rowVectors.count, columns: columns, storage: rowVectors.flatMap { $0 })
    }

    @inlinable public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Scalar] { Array(storage[i * columns ..< (i + 1) * columns]) }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { result.storage[j * rows + i] = storage[i * columns + j] } }
        return result
    }

    /// The rows at `indices`, in that order.
    public func rows(at indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        for (r, i) in indices.enumerated() {
            for j in 0..<columns { result.storage[r * columns + j] = storage[i * columns + j] }
        }
        return result
    }

    /// `alpha · op(self) · op(other)` with `op` the transpose when asked: one BLAS `gemm` call.
    public func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false,
                           alpha: Scalar = 1) -> Matrix {
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let kOther = transposingOther ? other.columns : other.rows
        let n = transposingOther ? other.rows : other.columns
        precondition(k == kOther, "inner dimensions differ: \(k) vs \(kOther)")
        var result = Matrix(rows: m, columns: n)
        Scalar.gemm(transA: transposingSelf, transB: transposingOther, m: m, n: n, k: k, alpha: alpha,
                    a: storage, lda: columns, b: other.storage, ldb: other.columns,
                    beta: 0, c: &result.storage, ldc: n)
        return result
    }
}

extension Matrix where Scalar == Double {
    /// |row_i|² for every row: the norms in the |x|² + |y|² − 2x·y form of squared distances.
    public func squaredRowNorms() -> [Double] {
        let d = columns
        var norms = [Double](repeating: 0, count: rows)
        storage.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                var s = 0.0
                let base = i * d
                for k in 0..<d { s += p[base + k] * p[base + k] }
                norms[i] = s
            }
        }
        return norms
    }
}

/// True when no element is NaN or ±∞. Inlinable, so that callers in other modules (the trainer
/// checks every parameter at every step) get a specialised loop: unspecialised, a key-path
/// `allSatisfy(\.isFinite)` on generic arrays took half the run time of `train-toy`.
@inlinable public func allFinite<Scalar: BinaryFloatingPoint>(_ values: [Scalar]) -> Bool {
    for value in values where !value.isFinite { return false }
    return true
}

extension Matrix {
    /// The columns in `range`, as a new matrix.
    public func columns(_ range: Range<Int>) -> Matrix {
        var result = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (c, j) in range.enumerated() { result[i, c] = self[i, j] } }
        return result
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Scalar] { (0..<rows).map { self[$0, j] } }
}
