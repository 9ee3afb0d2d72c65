import Foundation

/// One measured divergence: the value, its uncertainty, and how it was obtained.
///
/// `value` is in ``DivergenceKind/unit``; `stderr` is the Monte Carlo standard error (0 when exact).
/// `reason` says in words why an exact value holds (e.g. "supports intersect in a null set").
public struct DivergenceEstimate: Codable, Equatable, Sendable {
    public var divergence: DivergenceKind
    public var value: Double
    public var stderr: Double
    public var method: String
    public var reason: String?
    /// Method-specific numbers (iterations, marginal error, ε, Sinkhorn divergence, k, …).
    public var details: [String: Double]
    /// Set by an estimator that knows its number is not the divergence (a finite KL beyond double
    /// range): the engine refuses the estimate with this reason.
    public var refusal: String?

    public init(_ divergence: DivergenceKind, value: Double, stderr: Double = 0, method: String,
                reason: String? = nil, details: [String: Double] = [:]) {
        self.divergence = divergence
        self.value = value
        self.stderr = stderr
        self.method = method
        self.reason = reason
        self.details = details
    }

    public var unit: String { divergence.unit }
}
