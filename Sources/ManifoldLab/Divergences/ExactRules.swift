import Foundation

/// Divergences that hold without sampling, from the geometry of two placed manifold laws.
///
/// - P = Q (same shape, same frame, no offset, no turn): every divergence is 0.
/// - Mutually singular supports, without noise: JS = log 2 and KL = ∞. This holds when the
///   supports have different dimensions (the smaller one is a null set for the larger), when two
///   k-dimensional supports with k < D sit in independent random frames (they meet in a set of
///   dimension 2k − D < k almost surely), and in a shared frame when the offset moves Q off P's flat
///   or the turn φ (not a multiple of 180°) tilts it out — Arjovsky & Bottou's "not perfectly aligned".
/// - Translated copies (same shape and frame, no turn): W_p = |θ|, with or without noise.
/// - Two segments at an angle (no noise): W2² = |a − b|² + (L1² + L2² − 2 L1 L2 |cos φ|)/12.
/// - Isotropic Gaussians N(μ₁, a I), N(μ₂, b I) (variances include σ²): KL and W2 (Bures) in
///   closed form; W1 = |μ₁ − μ₂| when a = b.
public enum ExactRules {
    public static func evaluate(_ kind: DivergenceKind, pair: DistributionPair, pSpec: ManifoldSpec, qSpec: ManifoldSpec,
                                noise: Double) -> DivergenceEstimate? {
        let placement = pair.placement
        let turned = !isMultiple(of: 360, placement.angle)
        let sameShape = pSpec == qSpec
        let dimension = pair.p.ambientDimension

        if sameShape && placement.sameFrame && !turned && placement.offset == 0 {
            return DivergenceEstimate(kind, value: 0, method: "exact", reason: "P = Q")
        }
        if pSpec.kind == .gaussian && qSpec.kind == .gaussian {
            return gaussian(kind, pair: pair, pSpec: pSpec, qSpec: qSpec, noise: noise)
        }
        switch kind {
        case .js, .kl:
            guard noise == 0, let reason = singularity(pair: pair, sameShape: sameShape, dimension: dimension) else { return nil }
            return kind == .js
                ? DivergenceEstimate(.js, value: M_LN2, method: "exact", reason: "= log 2: " + reason)
                : DivergenceEstimate(.kl, value: .infinity, method: "exact", reason: "= ∞: " + reason)
        case .w1, .w2:
            if sameShape && placement.sameFrame && !turned {
                return DivergenceEstimate(kind, value: abs(placement.offset), method: "exact",
                                          reason: "translated copies: W = |θ|")
            }
            if kind == .w2, noise == 0, pSpec.kind == .line, qSpec.kind == .line, placement.sameFrame {
                let phi = placement.radians
                let squared = placement.offset * placement.offset + (2 - 2 * abs(cos(phi))) / 12
                return DivergenceEstimate(.w2, value: squared.squareRoot(), method: "exact",
                                          reason: "segments at an angle: W2² = |a−b|² + (L1² + L2² − 2L1L2|cos φ|)/12")
            }
            return nil
        }
    }

    /// Why P and Q are mutually singular, or nil when that does not follow from the geometry.
    static func singularity(pair: DistributionPair, sameShape: Bool, dimension: Int) -> String? {
        let kp = pair.p.manifold.intrinsicDimension, kq = pair.q.manifold.intrinsicDimension
        if kp != kq {
            return "supports of dimensions \(kp) and \(kq) intersect in a null set"
        }
        guard kp < dimension else { return nil }
        let placement = pair.placement
        if !placement.sameFrame {
            return "\(kp)-dimensional supports in independent random frames of R^\(dimension) intersect in a null set"
        }
        if placement.offset != 0 && isMultiple(of: 180, placement.angle) && pair.offsetDirectionIsOrthogonalToBoth {
            return "supports lie in parallel flats a distance |θ| apart"
        }
        if !isMultiple(of: 180, placement.angle) {
            return "Q is turned out of P's flat: supports intersect in a null set"
        }
        return nil
    }

    static func gaussian(_ kind: DivergenceKind, pair: DistributionPair, pSpec: ManifoldSpec, qSpec: ManifoldSpec,
                         noise: Double) -> DivergenceEstimate? {
        let d = Double(pair.p.ambientDimension)
        let a = pow(pSpec.scale ?? 1, 2) + noise * noise, b = pow(qSpec.scale ?? 1, 2) + noise * noise
        let shift = zip(pair.p.embedding.center, pair.q.embedding.center).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        switch kind {
        case .kl:
            let value = 0.5 * (d * a / b + shift / b - d + d * log(b / a))
            return DivergenceEstimate(.kl, value: value, method: "exact",
                                      reason: "Gaussians: ½[tr(Σq⁻¹Σp) + Δμᵀ Σq⁻¹ Δμ − D + log det Σq/det Σp]")
        case .w2:
            let squared = shift + d * pow(a.squareRoot() - b.squareRoot(), 2)
            return DivergenceEstimate(.w2, value: squared.squareRoot(), method: "exact",
                                      reason: "Gaussians: Bures formula W2² = |Δμ|² + tr(Σp + Σq − 2(Σp^½ Σq Σp^½)^½)")
        case .w1 where a == b:
            return DivergenceEstimate(.w1, value: shift.squareRoot(), method: "exact",
                                      reason: "translated Gaussians: W1 = |Δμ|")
        default:
            return nil
        }
    }

    static func isMultiple(of period: Double, _ angle: Double) -> Bool {
        angle.truncatingRemainder(dividingBy: period) == 0
    }
}
