import Foundation

/// A law with a density on its whole span, compared without noise (σ = 0) against another law on
/// the same flat: `gaussian` and `uniform` (span R^D), and `ring`, `grid`, `line`, `plane`, `flat`
/// against each other in one shared flat. The density is taken with respect to Lebesgue measure on
/// that flat, so log p − log q is the log of the Radon–Nikodym derivative and the `smoothed`
/// estimator's quasi-Monte Carlo serves it unchanged ("plug-in": the laws' own densities).
struct PlugInLaw: UnitCubeImage {
    let distribution: ManifoldDistribution

    /// nil unless the shape has a closed-form density on all of its span (Gaussian mixtures) or on a
    /// box in it (flats).
    init?(_ distribution: ManifoldDistribution) {
        guard distribution.manifold is Flat || distribution.manifold is GaussianMixture else { return nil }
        self.distribution = distribution.withNoise(0)
    }

    var dimension: Int { distribution.ambientDimension }
    var densityMethod: String {
        distribution.manifold is Flat ? "closed-form uniform density" : "closed-form Gaussian density"
    }

    func sample(count: Int, seed: Seed) -> Matrix<Double> { distribution.sample(count: count, seed: seed) }
    var unitCubeDimension: Int { distribution.unitCubeDimension }
    /// Nothing to rotate: without noise the law uses no noise coordinates.
    var supportDirections: [[Double]]? { nil }

    func points(fromUnitCube cube: Matrix<Double>, noiseBasis: HouseholderBasis?) -> Matrix<Double> {
        distribution.points(fromUnitCube: cube)
    }

    /// log of the density on the span at the canonical coordinates a = Fᵀ(x − c); −∞ outside a box.
    func logDensity(_ points: Matrix<Double>) -> [Double] {
        let embedding = distribution.embedding, d = dimension, m = embedding.spanDimension
        var centred = points
        for i in 0..<points.rows { for j in 0..<d { centred[i, j] -= embedding.center[j] } }
        let canonical = centred.multiplied(by: embedding.frame)
        switch distribution.manifold {
        case let flat as Flat:
            let inside = -Double(m) * log(flat.edge), half = flat.edge / 2
            return (0..<points.rows).map { i in
                (0..<m).allSatisfy { abs(canonical[i, $0]) <= half } ? inside : -.infinity
            }
        case let mixture as GaussianMixture:
            return (0..<points.rows).map { mixture.logDensity(canonical.row($0)) }
        default:
            preconditionFailure("PlugInLaw holds flats and Gaussian mixtures only")
        }
    }

    /// True when P and Q have densities on one and the same flat: both fill their spans, the spans
    /// have one dimension, and they coincide — all of R^D, or one frame with no offset out of it and
    /// no turn out of it (a turn by a multiple of 180° maps the flat onto itself).
    static func shareSpan(_ pair: DistributionPair) -> Bool {
        let mp = pair.p.manifold.spanDimension, mq = pair.q.manifold.spanDimension
        guard pair.p.manifold.fillsSpan && pair.q.manifold.fillsSpan && mp == mq else { return false }
        if mp == pair.p.ambientDimension { return true }
        let placement = pair.placement
        return placement.sameFrame && placement.offset == 0 && ExactRules.isMultiple(of: 180, placement.angle)
    }
}
