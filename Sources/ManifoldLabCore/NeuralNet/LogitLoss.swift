/// A GAN cost as a function of one logit (or critic value) z, averaged over a batch.
///
/// Every form is a softplus or linear in z, never the logarithm of a rounded probability, so
/// values and gradients are finite for any finite z (tested to |z| = 1000 in Float and Double):
///
/// | case | ℓ(z) | ℓ′(z) | GAN role |
/// |---|---|---|---|
/// | `crossEntropy(target: t)` | t·softplus(−z) + (1−t)·softplus(z) | σ(z) − t | D on reals (t = 1, or α < 1 for one-sided label smoothing) and fakes (t = 0); non-saturating G (t = 1) |
/// | `minimaxGenerator` | log(1 − σ(z)) = −softplus(z) | −σ(z) | G's original minimax cost (saturates) |
/// | `nonSaturatingGenerator` | −log σ(z) = softplus(−z) | σ(z) − 1 | G's "−log D" cost |
/// | `linear(weight: w)` | w·z | w | WGAN: critic −1 on reals, +1 on fakes; G −1 |
public enum LogitLoss: Sendable, Hashable, Codable {
    case crossEntropy(target: Double)
    case minimaxGenerator
    case nonSaturatingGenerator
    case linear(weight: Double)

    /// The discriminator's cost on real data, with one-sided label smoothing when `target` < 1.
    public static func discriminatorReal(target: Double = 1) -> LogitLoss { .crossEntropy(target: target) }
    /// The discriminator's cost on generated data.
    public static let discriminatorFake = LogitLoss.crossEntropy(target: 0)
    /// The WGAN critic's cost on real data (it maximises E D(real) − E D(fake)).
    public static let criticReal = LogitLoss.linear(weight: -1)
    /// The WGAN critic's cost on generated data.
    public static let criticFake = LogitLoss.linear(weight: 1)
    /// The WGAN generator's cost −E D(G(z)).
    public static let wassersteinGenerator = LogitLoss.linear(weight: -1)

    /// ℓ(z).
    @inlinable public func value<Scalar: BLASScalar>(_ z: Scalar) -> Scalar {
        switch self {
        case .crossEntropy(let t):
            let target = Scalar(t)
            // Skip a term whose weight is zero so that t ∈ {0, 1} never computes 0·∞.
            return (target == 0 ? 0 : target * Logistic.softplus(-z))
                + (target == 1 ? 0 : (1 - target) * Logistic.softplus(z))
        case .minimaxGenerator: return -Logistic.softplus(z)
        case .nonSaturatingGenerator: return Logistic.softplus(-z)
        case .linear(let w): return Scalar(w) * z
        }
    }

    /// ℓ′(z).
    @inlinable public func derivative<Scalar: BLASScalar>(_ z: Scalar) -> Scalar {
        switch self {
        case .crossEntropy(let t): return Logistic.sigmoid(z) - Scalar(t)
        case .minimaxGenerator: return -Logistic.sigmoid(z)
        case .nonSaturatingGenerator: return -Logistic.sigmoid(-z)
        case .linear(let w): return Scalar(w)
        }
    }

    /// The mean of ℓ over `logits`; when `gradient` is given, writes `scale`·ℓ′(z_i)/count there.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func evaluate<Scalar: BLASScalar>(logits: UnsafeBufferPointer<Scalar>,
                                             gradient: UnsafeMutablePointer<Scalar>?, scale: Scalar = 1) -> Scalar {
        precondition(!logits.isEmpty, "a loss needs at least one logit")
        var total = 0.0 // accumulated in Double in both precisions
        for z in logits { total += Double(value(z)) }
        if let gradient {
            let factor = scale / Scalar(logits.count)
            for i in logits.indices { gradient[i] = factor * derivative(logits[i]) }
        }
        return Scalar(total / Double(logits.count))
    }

    /// The mean of ℓ over the entries of `logits`.
    public func mean<Scalar: BLASScalar>(logits: Matrix<Scalar>) -> Scalar {
        logits.storage.withUnsafeBufferPointer { evaluate(logits: $0, gradient: nil) }
    }

    /// The mean of ℓ and its gradient with respect to every logit (ℓ′(z_i)/count).
    public func meanAndGradient<Scalar: BLASScalar>(logits: Matrix<Scalar>) -> (value: Scalar, gradient: Matrix<Scalar>) {
        var gradient = Matrix<Scalar>(rows: logits.rows, columns: logits.columns)
        let value = logits.storage.withUnsafeBufferPointer { z in
            gradient.storage.withUnsafeMutableBufferPointer { evaluate(logits: z, gradient: $0.baseAddress!) }
        }
        return (value, gradient)
    }
}
