/// A manifold's law placed in R^D, with optional instance noise N(0, σ²I_D) on every sample.
public struct ManifoldDistribution: Sendable {
    public let manifold: any Manifold
    public let embedding: Embedding
    /// σ of the instance noise (0: points lie exactly on the manifold).
    public let noise: Double
    /// "p" or "q": names this distribution's random streams.
    public let role: String

    public init(manifold: any Manifold, embedding: Embedding, noise: Double = 0, role: String = "p") {
        precondition(manifold.spanDimension == embedding.spanDimension)
        self.manifold = manifold
        self.embedding = embedding
        self.noise = noise
        self.role = role
    }

    public var ambientDimension: Int { embedding.ambientDimension }

    /// The same distribution with instance noise σ.
    public func withNoise(_ sigma: Double) -> ManifoldDistribution {
        ManifoldDistribution(manifold: manifold, embedding: embedding, noise: sigma, role: role)
    }

    /// `count` canonical points (count × m) from the stream `seed.child("points-<role>")`.
    public func sampleCanonical(count: Int, seed: Seed) -> Matrix<Double> {
        let rng = RandomStream(seed: seed.child(.points(role)))
        let m = manifold.spanDimension
        var canonical = Matrix<Double>(rows: count, columns: m)
        var scratch = [Double](repeating: 0, count: max(manifold.intrinsicDimension, 1))
        canonical.storage.withUnsafeMutableBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { u in
                for i in 0..<count {
                    manifold.samplePoint(into: UnsafeMutableBufferPointer(rebasing: y[i * m ..< (i + 1) * m]),
                                         scratch: u, rng: rng)
                }
            }
        }
        return canonical
    }

    /// `count` points in R^D (count × D). Manifold points come from `seed.child("points-<role>")`
    /// and the noise from `seed.child("noise-<role>")`, so σ never changes where the clean points are.
    public func sample(count: Int, seed: Seed) -> Matrix<Double> {
        var points = embedding.embed(sampleCanonical(count: count, seed: seed))
        if noise > 0 {
            let rng = RandomStream(seed: seed.child(.noise(role)))
            points.storage.withUnsafeMutableBufferPointer { x in
                for i in x.indices { x[i] += rng.gaussian(sigma: noise) }
            }
        }
        return points
    }

    /// How many uniform numbers ``points(fromUnitCube:)`` reads per point: the shape's, then one per
    /// noise coordinate when σ > 0.
    public var unitCubeDimension: Int { manifold.unitCubeDimension + (noise > 0 ? ambientDimension : 0) }

    /// The points whose uniform coordinates are the rows of `cube` (count × ``unitCubeDimension``):
    /// parameters by the shape's inverse-CDF map, noise by the normal quantile function, read as
    /// coordinates in `noiseBasis` (the standard basis when nil).
    public func points(fromUnitCube cube: Matrix<Double>, noiseBasis: HouseholderBasis? = nil) -> Matrix<Double> {
        precondition(cube.columns == unitCubeDimension)
        let s = manifold.unitCubeDimension, m = manifold.spanDimension, d = ambientDimension
        var canonical = Matrix<Double>(rows: cube.rows, columns: m)
        var u = [Double](repeating: 0, count: max(manifold.intrinsicDimension, 1))
        cube.storage.withUnsafeBufferPointer { t in
            canonical.storage.withUnsafeMutableBufferPointer { y in
                u.withUnsafeMutableBufferPointer { u in
                    for i in 0..<cube.rows {
                        manifold.parameters(fromUnitCube: UnsafeBufferPointer(rebasing: t[i * cube.columns ..< i * cube.columns + s]), into: u)
                        manifold.point(parameters: UnsafeBufferPointer(u), into: UnsafeMutableBufferPointer(rebasing: y[i * m ..< (i + 1) * m]))
                    }
                }
            }
        }
        var points = embedding.embed(canonical)
        if noise > 0 {
            let jitter = UnitCube.normalNoise(cube, columns: s..<(s + d), sigma: noise, basis: noiseBasis)
            for i in points.storage.indices { points.storage[i] += jitter.storage[i] }
        }
        return points
    }
}

/// P and Q placed in R^D as a ``Placement`` says, each with instance noise σ.
public struct DistributionPair: Sendable {
    public let p: ManifoldDistribution
    public let q: ManifoldDistribution
    /// The unit offset direction n (see ``Placement``).
    public let offsetDirection: [Double]
    public let placement: Placement

    /// Builds P (frame from `seed.child(.frameP)`) and Q (P's frame, or `seed.child(.frameQ)`).
    public init(p pSpec: ManifoldSpec, q qSpec: ManifoldSpec, dimension: Int, placement: Placement,
                noise: Double, seed: Seed) throws(ManifoldLabError) {
        try placement.validate()
        try Self.validate(noise: noise)
        let pShape = try pSpec.manifold(dimension: dimension)
        let qShape = try qSpec.manifold(dimension: dimension)
        let (mp, mq) = (pShape.spanDimension, qShape.spanDimension)
        // Columns of P's frame stream: P's axes, then (with a shared frame) Q's extra axes, then n.
        let used = placement.sameFrame ? max(mp, mq) : mp
        if placement.angle != 0 && used >= dimension {
            throw .conflictingOptions("\(parameter: "angle") needs a direction orthogonal to P\(placement.sameFrame ? " and Q" : ""), so \(parameter: "dim") must exceed \(used) (it is \(dimension))")
        }
        let columns = min(dimension, used + 1)
        let axes = OrthonormalFrame.random(dimension: dimension, count: columns, rng: RandomStream(seed: seed.child(.frameP)))
        let origin = [Double](repeating: 0, count: dimension)
        let pEmbedding = Embedding(frame: axes.columns(0..<mp), center: origin)
        let direction = used < dimension ? axes.column(used) : pEmbedding.axis(0)

        var qEmbedding = placement.sameFrame
            ? Embedding(frame: axes.columns(0..<mq), center: origin)
            : Embedding(frame: OrthonormalFrame.random(dimension: dimension, count: mq,
                                                       rng: RandomStream(seed: seed.child(.frameQ))),
                        center: origin)
        if placement.angle != 0 {
            qEmbedding = qEmbedding.rotated(by: placement.radians, inPlaneOf: pEmbedding.axis(0), direction, about: origin)
        }
        if placement.offset != 0 {
            qEmbedding = qEmbedding.translated(by: direction.map { $0 * placement.offset })
        }
        self.p = ManifoldDistribution(manifold: pShape, embedding: pEmbedding, noise: noise, role: "p")
        self.q = ManifoldDistribution(manifold: qShape, embedding: qEmbedding, noise: noise, role: "q")
        self.offsetDirection = direction
        self.placement = placement
    }

    /// True when n is orthogonal to Q's span as well as P's (always so with a shared frame).
    public var offsetDirectionIsOrthogonalToBoth: Bool {
        (0..<q.embedding.spanDimension).allSatisfy { j in
            abs(zip(q.embedding.axis(j), offsetDirection).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12
        }
    }

    /// The one check of an instance-noise σ, worded once for every command: 0 or a finite normal
    /// double (a subnormal σ, below 2.2e-308, has too few digits to be a width, and x/σ overflows to
    /// ∞: σ = 5e-324 trapped in the smoothed densities), and at most `maximum` where a computation
    /// has a ceiling (`why` says what overflows beyond it).
    public static func validate(noise: Double, maximum: Double = .greatestFiniteMagnitude,
                                why: String = "") throws(ManifoldLabError) {
        guard noise == 0 || (noise.isNormal && noise > 0 && noise <= maximum) else {
            let range = maximum < .greatestFiniteMagnitude ? "from 2.2e-308 to \(NumberFormat.text(maximum))" : "from 2.2e-308 up"
            throw .invalidValue(parameter: "noise", value: NumberFormat.echo(noise),
                                 allowed: "a standard deviation σ that is 0 or a finite double \(range)" + (why.isEmpty ? "" : " (\(why))"))
        }
    }
}
