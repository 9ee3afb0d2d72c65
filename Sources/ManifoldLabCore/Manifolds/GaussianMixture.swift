import Foundation

/// A mixture of isotropic Gaussians with equal weights in R^m, all of one standard deviation: the
/// full-dimensional reference `gaussian` (one component, m = D), and the 2-flat mixtures `ring`
/// (m components on the unit circle) and `grid` (m × m components on a lattice of spacing 2).
///
/// Its "parameters" are the canonical coordinates themselves (k = m), with the mixture density.
public struct GaussianMixture: Manifold {
    public let name: String
    /// Component means in canonical coordinates, each of length ``spanDimension``.
    public let means: [[Double]]
    /// The common standard deviation of every component.
    public let standardDeviation: Double

    public init(name: String, means: [[Double]], standardDeviation: Double) {
        precondition(!means.isEmpty && standardDeviation > 0)
        self.name = name
        self.means = means
        self.standardDeviation = standardDeviation
    }

    /// N(0, s² I_dimension).
    public static func gaussian(dimension: Int, standardDeviation: Double = 1) -> GaussianMixture {
        GaussianMixture(name: "gaussian", means: [Array(repeating: 0, count: dimension)],
                        standardDeviation: standardDeviation)
    }

    /// `modes` Gaussians at (cos 2πj/modes, sin 2πj/modes), std 0.01 by default (the protocol of
    /// the Unrolled-GAN, VEEGAN and PacGAN papers).
    public static func ring(modes: Int = 8, standardDeviation: Double = 0.01) -> GaussianMixture {
        let means = (0..<modes).map { j -> [Double] in
            let angle = 2 * Double.pi * Double(j) / Double(modes)
            return [cos(angle), sin(angle)]
        }
        return GaussianMixture(name: "ring", means: means, standardDeviation: standardDeviation)
    }

    /// `side × side` Gaussians at {−(side−1), …, side−1}² in steps of 2 (so {−4, −2, 0, 2, 4}² for
    /// the default side 5), std 0.05 by default.
    public static func grid(side: Int = 5, standardDeviation: Double = 0.05) -> GaussianMixture {
        let coordinates = (0..<side).map { 2 * Double($0) - Double(side - 1) }
        let means = coordinates.flatMap { a in coordinates.map { b in [a, b] } }
        return GaussianMixture(name: "grid", means: means, standardDeviation: standardDeviation)
    }

    public var intrinsicDimension: Int { means[0].count }
    public var spanDimension: Int { means[0].count }
    public var parameterDomain: [ClosedRange<Double>] {
        Array(repeating: -Double.infinity ... Double.infinity, count: spanDimension)
    }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        let mean = means.count == 1 ? means[0] : means[rng.integer(below: means.count)]
        for i in 0..<spanDimension { u[i] = mean[i] + rng.gaussian(sigma: standardDeviation) }
    }

    /// The component is ⌊t₀·K⌋ and the fraction t₀·K − ⌊t₀·K⌋ (again uniform, and independent of it)
    /// serves as the first coordinate's uniform, so s = m; coordinates by the normal quantile function.
    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        let scaled = t[0] * Double(means.count)
        let component = min(Int(scaled), means.count - 1)
        let mean = means[component]
        for i in 0..<spanDimension {
            let uniform = i == 0 ? scaled - Double(component) : t[i]
            u[i] = mean[i] + standardDeviation * UnitCube.normalQuantile(uniform)
        }
    }

    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        exp(logDensity(Array(u)))
    }

    /// log of the mixture density at `y`, by log-sum-exp over the components.
    public func logDensity(_ y: [Double]) -> Double {
        let variance = standardDeviation * standardDeviation
        let normaliser = -0.5 * Double(spanDimension) * log(2 * .pi * variance) - log(Double(means.count))
        let terms = means.map { mean -> Double in
            var squared = 0.0
            for i in 0..<spanDimension { let d = y[i] - mean[i]; squared += d * d }
            return normaliser - squared / (2 * variance)
        }
        return LogSumExp.of(terms)
    }

    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<spanDimension { y[i] = u[i] }
    }

    /// Every point of the flat is in the support.
    public func residual(canonical y: [Double]) -> Double { 0 }
}
