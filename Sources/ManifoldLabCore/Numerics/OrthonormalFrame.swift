import CGSL

/// Orthonormal columns in R^D, the frames that place manifolds in the ambient space.
public enum OrthonormalFrame {
    /// `count` orthonormal columns in R^`dimension`, uniformly (Haar) distributed: the Q factor of
    /// a Gaussian matrix's QR decomposition (GSL Householder QR), with column signs fixed so that
    /// R has a positive diagonal. Returned as a `dimension × count` matrix whose first j columns are
    /// the same for every `count ≥ j`, so asking for extra columns never changes the first ones.
    public static func random(dimension: Int, count: Int, rng: RandomStream) -> Matrix<Double> {
        precondition(count >= 1 && count <= dimension, "need 1 ≤ count ≤ dimension")
        GSL.installErrorHandler()
        let a = gsl_matrix_alloc(dimension, count)!
        let tau = gsl_vector_alloc(count)!
        let column = gsl_vector_alloc(dimension)!
        defer { gsl_matrix_free(a); gsl_vector_free(tau); gsl_vector_free(column) }
        // Column-major draws: the first j columns do not depend on `count` (QR keeps that property).
        for j in 0..<count { for i in 0..<dimension { gsl_matrix_set(a, i, j, rng.gaussian()) } }
        // A Gaussian matrix has full column rank with probability 1; GSL reports nothing else here.
        _ = gsl_linalg_QR_decomp(a, tau)
        var frame = Matrix<Double>(rows: dimension, columns: count)
        for j in 0..<count {
            // Column j of Q is Q·e_j; R's diagonal sits on the diagonal of the decomposed matrix.
            gsl_vector_set_basis(column, j)
            _ = gsl_linalg_QR_Qvec(a, tau, column)
            let sign: Double = gsl_matrix_get(a, j, j) < 0 ? -1 : 1
            for i in 0..<dimension { frame[i, j] = sign * gsl_vector_get(column, i) }
        }
        return frame
    }

    /// The first `count` standard basis vectors of R^`dimension`.
    public static func identity(dimension: Int, count: Int) -> Matrix<Double> {
        var frame = Matrix<Double>(rows: dimension, columns: count)
        for j in 0..<count { frame[j, j] = 1 }
        return frame
    }
}
