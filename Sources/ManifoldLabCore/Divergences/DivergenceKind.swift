/// The divergences manifoldlab measures, with their units.
public enum DivergenceKind: String, CaseIterable, Codable, Sendable {
    /// Jensen–Shannon divergence in nats, 0 ≤ JS ≤ log 2 (not its square root).
    case js
    /// Kullback–Leibler divergence KL(P‖Q) in nats; ∞ when P is not absolutely continuous w.r.t. Q.
    case kl
    /// Wasserstein-1 distance (Euclidean ground cost).
    case w1
    /// Wasserstein-2 distance (not W2²).
    case w2

    /// "nats" for JS and KL, "distance" for W1 and W2.
    public var unit: String {
        switch self {
        case .js, .kl: return "nats"
        case .w1, .w2: return "distance"
        }
    }

    /// How it reads in text output: `JS`, `KL`, `W1`, `W2`.
    public var symbol: String { rawValue.uppercased() }
}
