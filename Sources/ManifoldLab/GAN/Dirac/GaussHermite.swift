import CGSL

/// Gauss–Hermite quadrature for expectations over ε ~ N(0, σ²), with nodes and weights from GSL.
///
/// GSL's `gsl_integration_fixed_hermite` rule integrates against the weight |x − a|^α e^{−b(x−a)²};
/// with a = 0, α = 0 and b = 1/(2σ²) that is the Gaussian density up to its constant, so
/// E[g(ε)] ≈ Σᵢ wᵢ g(xᵢ) / Σᵢ wᵢ. Dividing by the computed Σ wᵢ (= σ√(2π) up to rounding) makes
/// E[1] = 1 exactly. An n-point rule is exact for polynomials of degree ≤ 2n − 1.
public struct GaussHermite: Sendable, Equatable {
    /// The standard deviation σ > 0 of ε.
    public let sigma: Double
    /// Nodes xᵢ, symmetric about 0.
    public let nodes: [Double]
    /// Weights normalised to sum to 1, so that E[g(ε)] ≈ Σᵢ weights[i]·g(nodes[i]).
    public let weights: [Double]

    /// The default number of nodes: the integrands here are logistic functions of ψ(θ + ε), analytic
    /// in a strip of half-width π/|ψ|σ, so the error falls geometrically in n; 100 nodes give full
    /// double precision for |ψ|σ up to a few and cost 100 evaluations per expectation.
    public static let defaultCount = 100

    /// - Parameters:
    ///   - sigma: σ > 0 (checked by the caller: ``DiracConfiguration/validate()``).
    ///   - count: the number of nodes n ≥ 1.
    public init(sigma: Double, count: Int = GaussHermite.defaultCount) throws(GSLError) {
        precondition(sigma > 0 && sigma.isFinite && count >= 1, "Gauss–Hermite needs σ > 0 and n ≥ 1")
        GSL.installErrorHandler()
        guard let type = GaussHermite.hermiteType,
              let workspace = gsl_integration_fixed_alloc(type, count, 0, 1 / (2 * sigma * sigma), 0, 0) else {
            throw GSLError(routine: "gsl_integration_fixed_alloc(hermite)", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_integration_fixed_free(workspace) }
        let x = UnsafeBufferPointer(start: gsl_integration_fixed_nodes(workspace), count: count)
        let w = UnsafeBufferPointer(start: gsl_integration_fixed_weights(workspace), count: count)
        var total = 0.0
        for weight in w { total += weight }
        guard total > 0, total.isFinite else {
            throw GSLError(routine: "gsl_integration_fixed_alloc(hermite)", status: Int32(GSL_ESANITY))
        }
        self.sigma = sigma
        self.nodes = Array(x)
        self.weights = w.map { $0 / total }
    }

    /// E[g(ε)] for ε ~ N(0, σ²).
    @inline(__always)
    public func expectation(_ g: (Double) -> Double) -> Double {
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * g(nodes[i]) }
        return sum
    }

    /// GSL's rule type is a C global, read through the shim's accessor (Swift 6 refuses C globals).
    private static var hermiteType: UnsafePointer<gsl_integration_fixed_type>? { manifoldlab_fixed_hermite() }
}
