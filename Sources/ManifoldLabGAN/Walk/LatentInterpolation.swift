import Foundation
import ManifoldLabCore

/// How a latent walk goes from z₁ to z₂.
public enum LatentInterpolation: String, CaseIterable, Codable, Sendable {
    /// z(t) = (1 − t) z₁ + t z₂: a straight segment in latent space.
    case linear
    /// Spherical interpolation (Shoemake 1985; White 2016, "Sampling Generative Networks"):
    /// z(t) = sin((1 − t)Ω)/sin Ω · z₁ + sin(tΩ)/sin Ω · z₂, with Ω the angle between z₁ and z₂.
    /// For a normal latent in k dimensions almost all mass lies near the sphere of radius √k, while
    /// the midpoint of a straight segment between two typical codes has norm about √(k/2): a linear
    /// walk passes through codes the generator never saw in training, slerp stays on the shell.
    case slerp
}

/// The latent path of a walk: the endpoints, the rule, and (for slerp) the angle Ω between them.
///
/// Slerp is undefined when an endpoint is 0 (no direction) and ill-conditioned when the endpoints
/// are parallel or opposite (sin Ω → 0: for opposite endpoints no great circle is singled out, and
/// the weights 1/sin Ω blow up). When sin Ω < ``degenerateSine`` or an endpoint is 0 the path is
/// linear instead, and ``note`` says why; the linear path is the limit of slerp as Ω → 0, so for
/// parallel endpoints nothing but rounding changes. No point of the path is ever NaN.
public struct LatentPath: Sendable, Equatable {
    public let from: [Double]
    public let to: [Double]
    /// The rule asked for.
    public let requested: LatentInterpolation
    /// The rule used: `requested`, or `linear` when slerp is degenerate.
    public let used: LatentInterpolation
    /// Ω ∈ [0, π], the angle between the endpoints (nil when an endpoint is 0).
    public let angle: Double?
    /// Why slerp fell back to linear, when it did.
    public let note: String?

    /// sin Ω below this counts as parallel (Ω ≈ 0) or opposite (Ω ≈ π): about 10⁻⁶ rad from either.
    public static let degenerateSine = 1e-6

    public init(from: [Double], to: [Double], interpolation: LatentInterpolation) {
        precondition(from.count == to.count && !from.isEmpty, "endpoints of one non-zero dimension")
        self.from = from
        self.to = to
        requested = interpolation
        let (a, b) = (Self.norm(from), Self.norm(to))
        angle = a > 0 && b > 0 ? Self.angle(from, to, normA: a, normB: b) : nil
        guard interpolation == .slerp else { used = .linear; note = nil; return }
        if let angle, sin(angle) >= Self.degenerateSine {
            used = .slerp
            note = nil
        } else {
            used = .linear
            if angle == nil {
                note = "slerp needs two non-zero endpoints (\(parameter: a == 0 ? "from" : "to") is 0): the walk is linear"
            } else if angle! < .pi / 2 {
                note = "slerp between parallel endpoints is the straight segment (sin Ω < \(Self.degenerateSine)): the walk is linear"
            } else {
                note = "slerp between opposite endpoints has no unique great circle (sin Ω < \(Self.degenerateSine)): the walk is linear"
            }
        }
    }

    /// The latent point at t ∈ [0, 1]; exactly `from` at 0 and `to` at 1 (the weights are then
    /// exactly 1 and 0 for both rules: sin(1·Ω)/sin Ω is one rounded quotient of equal numbers).
    public func point(at t: Double) -> [Double] {
        let (wa, wb): (Double, Double)
        switch used {
        case .linear: (wa, wb) = (1 - t, t)
        case .slerp:
            let omega = angle!, s = sin(omega)
            (wa, wb) = (sin((1 - t) * omega) / s, sin(t * omega) / s)
        }
        return (0..<from.count).map { wa * from[$0] + wb * to[$0] }
    }

    static func norm(_ v: [Double]) -> Double {
        // Scaled, so that huge or tiny vectors neither overflow nor underflow.
        let scale = v.reduce(0) { max($0, abs($1)) }
        guard scale > 0, scale.isFinite else { return scale }
        return scale * v.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
    }

    /// Ω = 2 atan2(‖â − b̂‖, ‖â + b̂‖) for the unit vectors â, b̂: accurate at every angle, unlike
    /// acos of the cosine near 0 and π (Kahan).
    static func angle(_ a: [Double], _ b: [Double], normA: Double, normB: Double) -> Double {
        var difference = 0.0, sum = 0.0
        for i in a.indices {
            let (x, y) = (a[i] / normA, b[i] / normB)
            difference += (x - y) * (x - y)
            sum += (x + y) * (x + y)
        }
        return 2 * atan2(difference.squareRoot(), sum.squareRoot())
    }
}
