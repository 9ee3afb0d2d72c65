/// A penalty φ(s) on the norm s = ‖∇ₓD(x)‖ of a critic's input gradient, with its derivative φ′.
///
/// The network's ``MLP/accumulatePenaltyGradient(_:at:tape:weight:)`` averages φ over the batch and
/// differentiates that average with respect to the weights exactly (double backward).
public struct NormPenalty: Sendable, CustomStringConvertible {
    public let name: String
    /// φ(s).
    public let value: @Sendable (Double) -> Double
    /// φ′(s).
    public let derivative: @Sendable (Double) -> Double

    public init(name: String, value: @escaping @Sendable (Double) -> Double,
                derivative: @escaping @Sendable (Double) -> Double) {
        self.name = name
        self.value = value
        self.derivative = derivative
    }

    /// WGAN-GP (Gulrajani et al. 2017): φ(s) = λ(s − target)², λ = 10 and target 1 in the paper,
    /// applied at interpolates x̂ = αx_real + (1 − α)x_fake (see ``interpolate(real:fake:rng:into:)``).
    /// At s = 0 the norm is not differentiable; the gradient is taken as 0 there.
    public static func wganGP(lambda: Double = 10, target: Double = 1) -> NormPenalty {
        NormPenalty(name: "wgan-gp(λ=\(lambda))",
                    value: { s in lambda * (s - target) * (s - target) },
                    derivative: { s in 2 * lambda * (s - target) })
    }

    /// R1 (Mescheder et al. 2018): φ(s) = (γ/2) s², applied at real data.
    public static func r1(gamma: Double) -> NormPenalty {
        NormPenalty(name: "r1(γ=\(gamma))", value: { s in gamma / 2 * s * s }, derivative: { s in gamma * s })
    }

    public var description: String { name }

    /// x̂_r = α_r x_real,r + (1 − α_r) x_fake,r with α_r ~ U[0, 1) drawn per row from `rng`,
    /// written into `result` (reused when its shape fits).
    public static func interpolate<Scalar: BLASScalar>(real: Matrix<Scalar>, fake: UnsafeBufferPointer<Scalar>,
                                                       rng: RandomStream, into result: inout Matrix<Scalar>) {
        precondition(fake.count == real.storage.count, "real and fake batches differ in shape")
        if result.rows != real.rows || result.columns != real.columns {
            result = Matrix(rows: real.rows, columns: real.columns)
        }
        let n = real.columns
        real.storage.withUnsafeBufferPointer { x in
            result.storage.withUnsafeMutableBufferPointer { out in
                for r in 0..<real.rows {
                    let alpha = Scalar(rng.uniform())
                    for j in r * n ..< (r + 1) * n { out[j] = alpha * x[j] + (1 - alpha) * fake[j] }
                }
            }
        }
    }

    /// As ``interpolate(real:fake:rng:into:)`` with the fakes as a matrix.
    public static func interpolate<Scalar: BLASScalar>(real: Matrix<Scalar>, fake: Matrix<Scalar>,
                                                       rng: RandomStream, into result: inout Matrix<Scalar>) {
        fake.storage.withUnsafeBufferPointer { interpolate(real: real, fake: $0, rng: rng, into: &result) }
    }
}

/// What a penalty pass reports: P = (1/B) Σ φ(‖∇ₓD(x_r)‖) and the norms' mean and maximum.
public struct PenaltyEvaluation: Sendable, Hashable, Codable {
    public var value: Double
    public var meanGradientNorm: Double
    public var maxGradientNorm: Double

    init(_ summary: (value: Double, meanNorm: Double, maxNorm: Double)) {
        value = summary.value
        meanGradientNorm = summary.meanNorm
        maxGradientNorm = summary.maxNorm
    }
}
