/// Everything `manifoldlab sample` needs, validated once before any work.
///
/// Without `against`, the sample is P, exactly the P that `js --p <manifold>` compares for the same
/// seed. With `against`, the sample is Q placed against that P by ``Placement``.
public struct SampleRequest: Codable, Equatable, Sendable {
    public var manifold: ManifoldSpec
    public var against: ManifoldSpec?
    public var dimension: Int
    public var count: Int
    public var noise: Double
    public var placement: Placement
    public var seed: Seed
    /// The memory budget in bytes (`--max-memory` is in MiB; this is the effective limit).
    public var maxMemory: Int

    /// The vocabulary's names (docs/vocabulary.md): `n` and `dim` as the options say.
    enum CodingKeys: String, CodingKey {
        case manifold, against, dimension = "dim", count = "n", noise, placement, seed, maxMemory = "max_memory_bytes"
    }

    public init(manifold: ManifoldSpec, against: ManifoldSpec? = nil, dimension: Int, count: Int, noise: Double = 0,
                placement: Placement = Placement(), seed: Seed = Seed(0), maxMemory: Int = ByteCount.defaultLimit) {
        self.manifold = manifold
        self.against = against
        self.dimension = dimension
        self.count = count
        self.noise = noise
        self.placement = placement
        self.seed = seed
        self.maxMemory = maxMemory
    }

    /// Checks every value and builds the distribution to draw from.
    public func distribution() throws(ManifoldLabError) -> ManifoldDistribution {
        try Self.validate(dimension: dimension)
        try Self.validate(count: count, dimension: dimension, maxMemory: maxMemory)
        try DistributionPair.validate(noise: noise, maximum: Self.maximumNoise, why: "above it σ·ε overflows to ∞")
        if against == nil && placement != Placement() {
            throw .conflictingOptions("\(parameter: "offset"), \(parameter: "angle") and \(parameter: "same_frame") place Q against P: name P with \(parameter: "against")")
        }
        let pair = try DistributionPair(p: against ?? manifold, q: manifold, dimension: dimension,
                                        placement: placement, noise: noise, seed: seed)
        return against == nil ? pair.p : pair.q
    }

    /// Draws the points (count × D); refuses a sample with a coordinate that overflowed to ±∞
    /// (a huge --offset, --scale or --mode-std), since no output format may hold it.
    public func run() throws(ManifoldLabError) -> Matrix<Double> {
        let points = try distribution().sample(count: count, seed: seed)
        guard points.storage.allSatisfy(\.isFinite) else {
            throw .numericalFailure("a sampled coordinate overflowed to ±∞ (beyond ±1.8e308): use a smaller \(parameter: "offset"), \(parameter: "scale"), \(parameter: "mode_std") or \(parameter: "noise")")
        }
        return points
    }

    /// The largest instance noise σ accepted: N(0, 1) draws stay far below 10⁸, so σ·ε stays finite.
    public static let maximumNoise = 1e300

    /// The largest ambient dimension accepted (a frame of R^D is drawn even when no point is).
    public static let maximumDimension = 1_000_000

    public static func validate(dimension: Int) throws(ManifoldLabError) {
        guard (1...maximumDimension).contains(dimension) else {
            throw .invalidValue(parameter: "dim", value: String(dimension), allowed: "an ambient dimension D from 1 to \(maximumDimension)")
        }
    }

    /// n ≥ 1, and n points in R^D (8 bytes each coordinate) fit in `maxMemory` (the CLI passes the
    /// ``MemoryBudget``: the smallest of --max-memory and the process's limits).
    public static func validate(count: Int, dimension: Int, maxMemory: Int, option: String = "n") throws(ManifoldLabError) {
        guard count >= 1 else {
            throw .invalidValue(parameter: option, value: String(count), allowed: "a number of points n ≥ 1")
        }
        let (scalars, overflow) = count.multipliedReportingOverflow(by: dimension)
        try MemoryBudget.check(count: overflow ? Int.max : scalars, bytesEach: MemoryLayout<Double>.size, limit: maxMemory,
                               what: "\(count) points in R^\(dimension)")
    }
}
