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
            if kind == .kl, noise == 0, let reason = massOutsideBox(pair) {
                return DivergenceEstimate(.kl, value: .infinity, method: "exact", reason: "= ∞: " + reason)
            }
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
                // hypot: offset² would overflow from |θ| ≈ 1e154 on.
                let value = hypot(placement.offset, ((2 - 2 * abs(cos(phi))) / 12).squareRoot())
                return DivergenceEstimate(.w2, value: value, method: "exact",
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

    /// Why P puts mass outside Q's support when both have densities on one flat and Q is uniform on
    /// a box (`uniform`, `line`, `plane`, `flat`): any P other than that same box (a Gaussian, whose
    /// support is the whole flat; a turned or shifted box) does, so KL(P‖Q) = ∞. A Monte Carlo
    /// estimate could miss it: the mass outside may be e^(−1000).
    static func massOutsideBox(_ pair: DistributionPair) -> String? {
        guard PlugInLaw.shareSpan(pair), let box = pair.q.manifold as? Flat else { return nil }
        guard let other = pair.p.manifold as? Flat else {
            return "P (\(pair.p.manifold.name)) has a positive density on the whole flat, Q is uniform on a box in it"
        }
        let p = pair.p.embedding, q = pair.q.embedding, tolerance = 1e-12 * box.edge
        let sameCentre = zip(p.center, q.center).allSatisfy { abs($0 - $1) <= tolerance }
        // The boxes coincide when Q's axes are P's up to order and sign (both cubes centred).
        let overlap = p.frame.multiplied(by: q.frame, transposingSelf: true)
        let sameAxes = (0..<overlap.columns).allSatisfy { j in (0..<overlap.rows).contains { abs(abs(overlap[$0, j]) - 1) <= 1e-12 } }
        if other.edge == box.edge && sameCentre && sameAxes { return nil }
        return "P's box is not inside Q's box (turned or moved): P has mass where Q has none"
    }

    /// KL and W between isotropic Gaussians, computed in units of the problem's largest length ℓ
    /// (scales, σ, the centres' offset): a = (s_p² + σ²)/ℓ² and b likewise, so nothing underflows or
    /// overflows for lengths from 1e-300 to 1e300, and KL's D·(a/b − 1 − log(a/b)) is formed as
    /// D·(x − log1p(x)) with x = (a − b)/b, exact when a ≈ b.
    static func gaussian(_ kind: DivergenceKind, pair: DistributionPair, pSpec: ManifoldSpec, qSpec: ManifoldSpec,
                         noise: Double) -> DivergenceEstimate? {
        let d = Double(pair.p.ambientDimension)
        let sp = pSpec.scale ?? 1, sq = qSpec.scale ?? 1
        let deltas = zip(pair.p.embedding.center, pair.q.embedding.center).map { $0 - $1 }
        let unit = max(sp, sq, noise, deltas.map(abs).max() ?? 0)
        let a = (sp / unit) * (sp / unit) + (noise / unit) * (noise / unit)
        let b = (sq / unit) * (sq / unit) + (noise / unit) * (noise / unit)
        let shift = deltas.reduce(0) { $0 + ($1 / unit) * ($1 / unit) }
        switch kind {
        case .kl:
            let x = ((sp / unit - sq / unit) * (sp / unit + sq / unit)) / b
            let value = 0.5 * (d * (x - log1p(x)) + shift / b)
            return DivergenceEstimate(.kl, value: value, method: "exact",
                                      reason: "Gaussians: ½[tr(Σq⁻¹Σp) + Δμᵀ Σq⁻¹ Δμ − D + log det Σq/det Σp]")
        case .w2:
            let squared = shift + d * pow(a.squareRoot() - b.squareRoot(), 2)
            return DivergenceEstimate(.w2, value: unit * squared.squareRoot(), method: "exact",
                                      reason: "Gaussians: Bures formula W2² = |Δμ|² + tr(Σp + Σq − 2(Σp^½ Σq Σp^½)^½)")
        case .w1 where sp == sq:
            return DivergenceEstimate(.w1, value: unit * shift.squareRoot(), method: "exact",
                                      reason: "translated Gaussians: W1 = |Δμ|")
        default:
            return nil
        }
    }

    static func isMultiple(of period: Double, _ angle: Double) -> Bool {
        angle.truncatingRemainder(dividingBy: period) == 0
    }
}
