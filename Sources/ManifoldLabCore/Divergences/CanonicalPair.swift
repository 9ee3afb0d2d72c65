/// A same-frame pair rebuilt in coordinates where P's axes, Q's extra axes and the offset direction
/// n are standard basis vectors: the same geometry as ``DistributionPair`` (JS and KL are invariant
/// under rotations of R^D), with every coordinate that should be 0 exactly 0.
///
/// In a random frame each coordinate of a point mixes its position along the shape (~1) with its
/// offset and noise; an offset of 2e-50 and σ = 1e-50 vanish in that sum and two parallel segments
/// become one. Here they keep coordinates of their own, and the estimators see them.
enum CanonicalPair {
    /// P and Q of `pair` in axis-aligned coordinates, or nil when Q has a random frame of its own.
    static func distributions(_ pair: DistributionPair) -> (p: ManifoldDistribution, q: ManifoldDistribution)? {
        let placement = pair.placement
        guard placement.sameFrame else { return nil }
        let d = pair.p.ambientDimension
        let mp = pair.p.manifold.spanDimension, mq = pair.q.manifold.spanDimension
        let used = max(mp, mq)
        func unit(_ i: Int) -> [Double] { (0..<d).map { $0 == i ? 1 : 0 } }
        func axes(_ m: Int) -> Matrix<Double> {
            var frame = Matrix<Double>(rows: d, columns: m)
            for j in 0..<m { frame[j, j] = 1 }
            return frame
        }
        let origin = [Double](repeating: 0, count: d)
        let direction = used < d ? unit(used) : unit(0)
        var q = Embedding(frame: axes(mq), center: origin)
        if placement.angle != 0 { q = q.rotated(by: placement.radians, inPlaneOf: unit(0), direction, about: origin) }
        if placement.offset != 0 { q = q.translated(by: direction.map { $0 * placement.offset }) }
        return (ManifoldDistribution(manifold: pair.p.manifold, embedding: Embedding(frame: axes(mp), center: origin), role: "p"),
                ManifoldDistribution(manifold: pair.q.manifold, embedding: q, role: "q"))
    }
}
