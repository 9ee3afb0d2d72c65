import RealModule

/// The logistic function and its logarithms, in forms that neither overflow nor lose precision
/// for any finite argument (tested to |z| = 1000 in Float and Double).
public enum Logistic {
    /// σ(z) = 1 / (1 + e^(−z)); the exponential is only ever taken of −|z|.
    @inlinable public static func sigmoid<Scalar: BLASScalar>(_ z: Scalar) -> Scalar {
        if z >= 0 {
            return 1 / (1 + Scalar.exp(-z))
        }
        let e = Scalar.exp(z)
        return e / (1 + e)
    }

    /// softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)).
    ///
    /// −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z): every GAN cost on logits is a
    /// softplus, never the logarithm of a rounded probability.
    @inlinable public static func softplus<Scalar: BLASScalar>(_ z: Scalar) -> Scalar {
        max(z, 0) + Scalar.log(onePlus: Scalar.exp(-abs(z)))
    }

    /// log σ(z) = −softplus(−z).
    @inlinable public static func logSigmoid<Scalar: BLASScalar>(_ z: Scalar) -> Scalar { -softplus(-z) }
}
