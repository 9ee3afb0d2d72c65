/// Where the second distribution Q sits relative to P.
///
/// P's frame is a seeded random orthonormal frame of R^D and P is centred at the origin. Q starts
/// centred at the origin too, in P's frame (`sameFrame`) or in a fresh random frame of its own; then
/// 1. `angle` φ turns Q by φ degrees about the origin in the plane spanned by P's first axis f₁
///    and the offset direction n, f₁ towards n;
/// 2. `offset` θ moves Q by θ·n.
/// The direction n is a unit vector orthogonal to P's span (and, with `sameFrame`, to Q's), drawn
/// with P's frame. When P fills R^D there is no such vector: n is f₁ and `angle` is refused.
public struct Placement: Codable, Equatable, Sendable {
    /// θ: the distance Q is moved along n.
    public var offset: Double
    /// φ in degrees: the turn of Q in the plane (f₁, n).
    public var angle: Double
    /// Q in P's frame (true) or in a fresh random frame (false).
    public var sameFrame: Bool

    public init(offset: Double = 0, angle: Double = 0, sameFrame: Bool = false) {
        self.offset = offset
        self.angle = angle
        self.sameFrame = sameFrame
    }

    /// Refuses non-finite values before any work.
    public func validate() throws(ManifoldLabError) {
        guard offset.isFinite else {
            throw .invalidValue(parameter: "offset", value: String(offset), allowed: "a finite distance θ")
        }
        guard angle.isFinite else {
            throw .invalidValue(parameter: "angle", value: String(angle), allowed: "a finite angle φ in degrees")
        }
    }

    /// The turn in radians.
    public var radians: Double { angle * .pi / 180 }
}
