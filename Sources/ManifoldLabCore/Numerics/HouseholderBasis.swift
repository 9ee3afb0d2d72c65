import CGSL

/// An orthonormal basis q₁…q_D of R^D whose first r vectors span r given vectors, kept as GSL's
/// compact Householder QR (O(rD) memory however large D is): it lets a few coordinates carry
/// everything that happens along those directions.
public final class HouseholderBasis {
    public let dimension: Int
    private let qr: UnsafeMutablePointer<gsl_matrix>
    private let tau: UnsafeMutablePointer<gsl_vector>

    /// Needs 1 ≤ r ≤ D vectors of length D; they need not be independent (A = QR puts every column
    /// of A in the span of Q's first r columns either way).
    public init(spanning vectors: [[Double]], dimension: Int) {
        precondition(!vectors.isEmpty && vectors.count <= dimension && vectors.allSatisfy { $0.count == dimension })
        GSL.installErrorHandler()
        self.dimension = dimension
        qr = gsl_matrix_alloc(dimension, vectors.count)!
        tau = gsl_vector_alloc(vectors.count)!
        for (j, vector) in vectors.enumerated() { for i in 0..<dimension { gsl_matrix_set(qr, i, j, vector[i]) } }
        _ = gsl_linalg_QR_decomp(qr, tau)
    }

    deinit {
        gsl_matrix_free(qr)
        gsl_vector_free(tau)
    }

    /// Replaces every row z of `coordinates` (count × D) by Σ_j z_j q_j, the vector with those
    /// coordinates in this basis.
    public func express(_ coordinates: inout Matrix<Double>) {
        precondition(coordinates.columns == dimension)
        let d = dimension
        coordinates.storage.withUnsafeMutableBufferPointer { z in
            for i in 0..<coordinates.rows {
                var row = gsl_vector_view_array(z.baseAddress! + i * d, d)
                _ = gsl_linalg_QR_Qvec(qr, tau, &row.vector)
            }
        }
    }
}
