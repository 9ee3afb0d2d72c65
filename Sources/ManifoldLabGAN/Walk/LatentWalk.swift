import Foundation
import ManifoldLabCore

/// What `manifoldlab walk` is asked: the latent endpoints, the number of intervals and the rule.
public struct WalkRequest: Sendable, Equatable {
    /// z₁ and z₂ (nil: ``defaultEndpoints(latent:distribution:)``).
    public var from: [Double]?
    public var to: [Double]?
    /// N, the number of intervals: the walk has N + 1 points, t = 0, 1/N, …, 1.
    public var steps: Int
    public var interpolation: LatentInterpolation
    /// Keep every generated coordinate x₁…x_D in the rows (`--full`).
    public var fullCoordinates: Bool

    public static let maxSteps = 10_000

    public init(from: [Double]? = nil, to: [Double]? = nil, steps: Int = 20, interpolation: LatentInterpolation = .linear,
                fullCoordinates: Bool = false) {
        self.from = from
        self.to = to
        self.steps = steps
        self.interpolation = interpolation
        self.fullCoordinates = fullCoordinates
    }

    /// Checks what can be checked before the run is read: the number of steps (exit status 64).
    public func validateSteps() throws(ManifoldLabError) {
        guard (1...Self.maxSteps).contains(steps) else {
            throw .invalidValue(parameter: "steps", value: String(steps),
                                 allowed: "a number of intervals N with 1 ≤ N ≤ \(Self.maxSteps) (the walk has N + 1 points)")
        }
    }

    /// The endpoints when none are given, chosen to cross the region the generator was trained on:
    /// - uniform latent U[−1, 1]^k: the opposite corners (−1, …, −1) and (1, …, 1), the diagonal of
    ///   the box through its centre (for k = 1 the whole latent range). Slerp between opposite points
    ///   is undefined, so a slerp walk with these defaults is linear, with a note.
    /// - normal latent N(0, I): for k = 1, −2 and 2 (two standard deviations); for k ≥ 2, 2e₁ and 2e₂,
    ///   a quarter turn at radius 2 along which slerp keeps the norm and linear dips to √2 midway.
    public static func defaultEndpoints(latent k: Int, distribution: LatentDistribution) -> (from: [Double], to: [Double]) {
        switch distribution {
        case .uniform:
            return ([Double](repeating: -1, count: k), [Double](repeating: 1, count: k))
        case .normal:
            guard k >= 2 else { return ([-2], [2]) }
            var a = [Double](repeating: 0, count: k), b = a
            a[0] = 2
            b[1] = 2
            return (a, b)
        }
    }

    /// Parses "z1,z2,…,zk": exactly k finite numbers (exit status 64 otherwise).
    /// The largest |zᵢ| of a walk's endpoints: G(z) and squared distances stay far from overflow.
    public static let maximumLatent = 1e100

    public static func parseLatent(_ text: String, option: String, latent k: Int) throws(ManifoldLabError) -> [Double] {
        let allowed = "a latent vector of k = \(k) comma-separated numbers in [−1e100, 1e100] (the run's latent dimension; beyond, distances overflow)"
        let cells = text.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Double] = []
        for cell in cells {
            guard let value = Double(cell.trimmingCharacters(in: .whitespaces)), abs(value) <= WalkRequest.maximumLatent else {
                throw .invalidValue(parameter: option, value: text, allowed: allowed)
            }
            values.append(value)
        }
        guard values.count == k else {
            throw .invalidValue(parameter: option, value: text, allowed: "\(allowed); it has \(values.count)")
        }
        return values
    }
}

/// One point of a walk: where it is in latent space and where G puts it relative to the data.
public struct WalkRow: Sendable, Equatable {
    /// The walk parameter, i/N.
    public let t: Double
    /// The latent point z(t).
    public let z: [Double]
    /// G(z(t)) measured against the data's shape.
    public let measured: ShapeDistance
    /// ‖G(z(tᵢ)) − G(z(tᵢ₋₁))‖ in R^D (0 at the first point).
    public let stepLength: Double
    /// G(z(t)) in R^D, with `--full` only.
    public let x: [Double]?
}

/// A walk through a trained generator's latent space and its image in data space.
public struct WalkResult: Sendable {
    public let runPath: String
    public let configuration: TrainingConfiguration
    public let path: LatentPath
    public let steps: Int
    public let rows: [WalkRow]
    /// What ``ShapeDistance/distance`` means for this run's data (one sentence).
    public let distanceDefinition: String
    public let isMixture: Bool
    public let fullCoordinates: Bool

    /// Σ ‖G(z(tᵢ)) − G(z(tᵢ₋₁))‖: the length of the polyline through the N + 1 generated points (a
    /// lower bound on the length of the curve t ↦ G(z(t)), reached as N grows).
    public var pathLength: Double { rows.reduce(0) { $0 + $1.stepLength } }
    /// ‖G(z₂) − G(z₁)‖: the path length when G maps the latent path to a straight segment.
    public let chord: Double
    /// The largest distance to the data's shape along the walk, and the first t where it occurs.
    public var maxDistance: (value: Double, t: Double) {
        rows.reduce((-Double.infinity, 0)) { $1.measured.distance > $0.0 ? ($1.measured.distance, $1.t) : $0 }
    }
    /// The mean distance to the data's shape over the N + 1 points (equally weighted).
    public var meanDistance: Double { rows.reduce(0) { $0 + $1.measured.distance } / Double(rows.count) }
    /// For mixtures: the nearest modes in the order the walk meets them, consecutive repeats merged.
    public var modesVisited: [Int] {
        var visited: [Int] = []
        for row in rows { if let mode = row.measured.nearestMode, mode != visited.last { visited.append(mode) } }
        return visited
    }

    init(runPath: String, configuration: TrainingConfiguration, path: LatentPath, steps: Int, rows: [WalkRow],
         chord: Double, distanceDefinition: String, isMixture: Bool, fullCoordinates: Bool) {
        self.runPath = runPath
        self.configuration = configuration
        self.path = path
        self.steps = steps
        self.rows = rows
        self.chord = chord
        self.distanceDefinition = distanceDefinition
        self.isMixture = isMixture
        self.fullCoordinates = fullCoordinates
    }
}

extension TrainedRun {
    /// Walks from z₁ to z₂ in N intervals and measures each generated point against the data's
    /// shape (rebuilt from the run's seed exactly as the trainer placed it).
    ///
    /// Errors: a latent vector of the wrong length or not finite, or N out of range (64); a
    /// generated point that is not finite (70).
    public func walk(_ request: WalkRequest) throws(ManifoldLabError) -> WalkResult {
        try request.validateSteps()
        let k = configuration.latent
        let defaults = WalkRequest.defaultEndpoints(latent: k, distribution: configuration.latentDistribution)
        let from = request.from ?? defaults.from, to = request.to ?? defaults.to
        for (option, z) in [("from", from), ("to", to)] where z.count != k || !z.allSatisfy(\.isFinite) {
            throw .invalidValue(parameter: option, value: z.map(NumberFormat.echo).joined(separator: ","),
                                 allowed: "a latent vector of k = \(k) finite numbers (the run's latent dimension)")
        }
        let latentPath = LatentPath(from: from, to: to, interpolation: request.interpolation)
        let shape = try DataShape(run: configuration)
        let n = request.steps
        let ts = (0...n).map { Double($0) / Double(n) }
        let latents = ts.map(latentPath.point(at:))
        let points = generator(Matrix(rows: n + 1, columns: k, storage: latents.flatMap { $0 }))
        guard points.storage.allSatisfy(\.isFinite) else {
            throw .numericalFailure("the generator maps a point of the walk to a non-finite point (its weights are too large)")
        }
        var rows: [WalkRow] = []
        rows.reserveCapacity(n + 1)
        var previous: [Double]? = nil
        for i in 0...n {
            let x = points.row(i)
            let stepLength = previous.map { p in zip(x, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() } ?? 0
            rows.append(WalkRow(t: ts[i], z: latents[i], measured: shape.measure(x), stepLength: stepLength,
                                x: request.fullCoordinates ? x : nil))
            previous = x
        }
        let (first, last) = (points.row(0), points.row(n))
        let chord = zip(first, last).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        // Distances of finite points can still overflow (a huge generator): refused, never printed as ∞.
        let measured = rows.flatMap { [$0.stepLength, $0.measured.distance, $0.measured.offSpan, $0.measured.inSpan] } + [chord]
        guard measured.allSatisfy(\.isFinite) else {
            throw .numericalFailure("a distance along the walk overflows double precision (generated points too far out); use endpoints nearer 0")
        }
        return WalkResult(runPath: path, configuration: configuration, path: latentPath, steps: n, rows: rows, chord: chord,
                          distanceDefinition: shape.distanceDefinition, isMixture: shape.isMixture,
                          fullCoordinates: request.fullCoordinates)
    }
}
