import CGSL

/// Gauss–Hermite quadrature for expectations over ε ~ N(0, σ²), with nodes and weights from GSL.
///
/// The rule is computed once in standardised units, for u ~ N(0, 1): GSL's
/// `gsl_integration_fixed_hermite` integrates against |x − a|^α e^{−b(x−a)²}, and a = 0, α = 0,
/// b = ½ is the standard normal density up to its constant. Then ε = σu: the nodes are σ·uᵢ and the
/// weights do not change. So every finite σ > 0 gives a valid rule — b = 1/(2σ²) itself would
/// overflow or underflow at extreme σ and make GSL fail ("sanity check failed", "malloc failed").
/// Dividing by the computed Σ wᵢ (= √(2π) up to rounding) makes E[1] = 1 exactly. An n-point rule
/// is exact for polynomials of degree ≤ 2n − 1.
public struct GaussHermite: Sendable, Equatable {
    /// The standard deviation σ > 0 of ε.
    public let sigma: Double
    /// Nodes xᵢ = σ·uᵢ, symmetric about 0.
    public let nodes: [Double]
    /// Weights normalised to sum to 1, so that E[g(ε)] ≈ Σᵢ weights[i]·g(nodes[i]).
    public let weights: [Double]

    /// The default number of nodes: the integrands here are logistic functions of ψ(θ + ε), analytic
    /// in a strip of half-width π/|ψ|σ, so the error falls geometrically in n; 100 nodes give full
    /// double precision for |ψ|σ up to a few and cost 100 evaluations per expectation.
    public static let defaultCount = 100

    /// - Parameters:
    ///   - sigma: any finite σ > 0 (checked by the caller: ``DiracConfiguration/validate()``).
    ///   - count: the number of nodes n ≥ 1.
    public init(sigma: Double, count: Int = GaussHermite.defaultCount) throws(GSLError) {
        precondition(sigma > 0 && sigma.isFinite && count >= 1, "Gauss–Hermite needs σ > 0 and n ≥ 1")
        let (units, weights) = try Self.standardRule(count: count)
        self.sigma = sigma
        self.nodes = units.map { sigma * $0 }
        self.weights = weights
    }

    /// The n-point rule for u ~ N(0, 1): nodes uᵢ and weights summing to 1.
    static func standardRule(count: Int) throws(GSLError) -> (nodes: [Double], weights: [Double]) {
        GSL.installErrorHandler()
        guard let type = GaussHermite.hermiteType,
              let workspace = gsl_integration_fixed_alloc(type, count, 0, 0.5, 0, 0) else {
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
        return (Array(x), w.map { $0 / total })
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
