import Foundation
import ManifoldLabCore

/// Where a point of R^D stands relative to the data's shape: its coordinates in the data's span and
/// its Euclidean distances to the span and to the shape.
///
/// With the data placed as x = c + F y(u) (F orthonormal, D × m), every point x splits into
/// Fᵀ(x − c) ∈ R^m (``canonical``) and a part orthogonal to the span, of norm ``offSpan``. The shape
/// lies inside the span, so by Pythagoras its distance is
/// dist(x, M) = √(offSpan² + inSpan²), inSpan = min over the shape of ‖Fᵀ(x − c) − y(u)‖.
public struct ShapeDistance: Sendable, Equatable {
    /// Fᵀ(x − c): the point's coordinates along the data's m axes.
    public let canonical: [Double]
    /// ‖(I − FFᵀ)(x − c)‖: the distance to the data's flat (its affine span).
    public let offSpan: Double
    /// The distance, within the span, from Fᵀ(x − c) to the shape (0 for a mixture, whose support
    /// is the whole flat).
    public let inSpan: Double
    /// For a Gaussian mixture: the index of the nearest mode centre (0-based, in the order of
    /// `GaussianMixture.means`) and the Euclidean distance in R^D to it.
    public let nearestMode: Int?
    public let modeDistance: Double?

    /// The Euclidean distance in R^D from the point to the data's shape.
    public var distance: Double { hypot(offSpan, inSpan) }
}

/// The data's shape as `train-toy` placed it in R^D, and exact distances to it.
public struct DataShape: Sendable {
    public let manifold: any Manifold
    public let embedding: Embedding

    public init(manifold: any Manifold, embedding: Embedding) {
        precondition(manifold.spanDimension == embedding.spanDimension)
        self.manifold = manifold
        self.embedding = embedding
    }

    /// The shape of a run's data: the same manifold, frame and centre the trainer drew from the
    /// configuration's seed (`ToySetup` with no gap), so distances are to the very data it saw.
    public init(run configuration: TrainingConfiguration) throws(ManifoldLabError) {
        let setup = try ToySetup(data: configuration.data, dimension: configuration.dimension, offset: 0,
                                 seed: configuration.seed)
        self.init(manifold: setup.manifold, embedding: setup.dataEmbedding)
    }

    /// Whether the data are a mixture of Gaussians (rows then carry the nearest mode).
    public var isMixture: Bool { manifold is GaussianMixture }

    /// Splits `x` ∈ R^D into span coordinates and distances (see ``ShapeDistance``).
    public func measure(_ x: [Double]) -> ShapeDistance {
        let (y, offSpan) = embedding.project(x)
        let inSpan = (manifold as? any DistanceInSpan)?.distanceInSpan(y) ?? manifold.residual(canonical: y)
        guard let mixture = manifold as? GaussianMixture else {
            return ShapeDistance(canonical: y, offSpan: offSpan, inSpan: inSpan, nearestMode: nil, modeDistance: nil)
        }
        var nearest = 0, squared = Double.infinity
        for (j, mean) in mixture.means.enumerated() {
            var s = 0.0
            for i in mean.indices { s += (y[i] - mean[i]) * (y[i] - mean[i]) }
            if s < squared { (nearest, squared) = (j, s) }
        }
        return ShapeDistance(canonical: y, offSpan: offSpan, inSpan: inSpan, nearestMode: nearest,
                             modeDistance: hypot(offSpan, squared.squareRoot()))
    }

    /// One sentence saying what the reported distance is for this shape.
    public var distanceDefinition: String {
        let base = "distance = √(off_span² + in_span²), the Euclidean distance in R^\(embedding.ambientDimension) to the data's \(manifold.name); "
            + "off_span = distance to the data's \(embedding.spanDimension)-flat, in_span = distance within that flat to the shape"
        // Every shape says how it measures (a new shape that does not conform fails WalkDistanceTests).
        return base + ((manifold as? any DistanceInSpan)?.distanceNote ?? " (an upper bound: the residual at a guessed parameter)")
    }
}

/// Shapes that give the exact Euclidean distance, within their span, from a canonical point y ∈ R^m
/// to themselves. `Manifold.residual` is that distance for flats, circle, sphere and torus; for the
/// helix and the swiss roll it is an upper bound read off a guessed parameter, so they minimise.
protocol DistanceInSpan {
    func distanceInSpan(_ y: [Double]) -> Double
    /// How the distance is obtained, for the `distance_definition` sentence.
    var distanceNote: String { get }
}

extension DistanceInSpan {
    var distanceNote: String { " (closed form)" }
}

extension Flat: DistanceInSpan {
    /// The distance to the cube [−L/2, L/2]^k: excess over the faces, coordinate by coordinate.
    func distanceInSpan(_ y: [Double]) -> Double { residual(canonical: y) }
}

extension Circle: DistanceInSpan {
    /// |‖y‖ − 1|.
    func distanceInSpan(_ y: [Double]) -> Double { residual(canonical: y) }
}

extension Sphere: DistanceInSpan {
    /// |‖y‖ − 1|.
    func distanceInSpan(_ y: [Double]) -> Double { residual(canonical: y) }
}

extension Torus: DistanceInSpan {
    /// |√((ρ − R)² + y₃²) − r| with ρ = ‖(y₁, y₂)‖: the distance to the tube around the core circle.
    func distanceInSpan(_ y: [Double]) -> Double { residual(canonical: y) }
}

extension Helix: DistanceInSpan {
    var distanceNote: String { " (minimised over the curve parameter: a grid scan refined by golden section)" }

    /// min over t ∈ [0, 4π] of ‖y − (cos t, sin t, t/2π − 1)‖.
    func distanceInSpan(_ y: [Double]) -> Double {
        let squared = IntervalMinimum.minimize({ t in
            let (a, b, c) = (y[0] - cos(t), y[1] - sin(t), y[2] - (t / (2 * .pi) - 1))
            return a * a + b * b + c * c
        }, over: 0, 4 * .pi).value
        return max(squared, 0).squareRoot()
    }
}

extension SwissRoll: DistanceInSpan {
    var distanceNote: String { " (minimised over the curve parameter: a grid scan refined by golden section)" }

    /// min over t ∈ [1.5π, 4.5π], h ∈ [−½, ½] of ‖y − (r(t) cos t, h, r(t) sin t)‖, r = t/4.5π; the
    /// height separates (h = y₂ clamped), the spiral is minimised over t.
    func distanceInSpan(_ y: [Double]) -> Double {
        let height = y[1] - min(max(y[1], -0.5), 0.5)
        let spiral = IntervalMinimum.minimize({ t in
            let r = t / (4.5 * .pi)
            let (a, b) = (y[0] - r * cos(t), y[2] - r * sin(t))
            return a * a + b * b
        }, over: Self.turns.lowerBound, Self.turns.upperBound).value
        return (max(spiral, 0) + height * height).squareRoot()
    }
}

extension GaussianMixture: DistanceInSpan {
    var distanceNote: String {
        " (0: the mixture's support is the whole flat); mode = the nearest mode centre, mode_distance = the Euclidean distance in R^D to it"
    }

    /// 0: every point of the flat is in the support.
    func distanceInSpan(_ y: [Double]) -> Double { 0 }
}
