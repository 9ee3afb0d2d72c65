import Foundation

/// The groups of metrics that `evaluate` computes (all by default) and `dimension` (only `dimension`).
public enum MetricGroup: String, CaseIterable, Codable, Sendable {
    /// The Fréchet distance (the FID formula).
    case fd
    /// KID: unbiased MMD² with the cubic polynomial kernel over subsets.
    case kid
    /// Unbiased MMD² with a Gaussian kernel.
    case mmd
    /// Precision, recall, density and coverage.
    case prdc
    /// W1 and W2: exact on up to ``EvaluationRequest/exactTransportLimit`` points, and sliced on all.
    case wasserstein
    /// The classifier's JS lower bound.
    case classifier
    /// TwoNN and Levina–Bickel intrinsic dimension of each sample.
    case dimension
    /// The Inception Score analogue, modes covered and the high-quality fraction (real = ring or grid).
    case modes
}

/// Everything `evaluate` and `dimension` need: the real and the generated sample (each a named
/// manifold or a sample file), how many points to draw, and the metrics' own parameters.
public struct EvaluationRequest: Codable, Sendable {
    public var real: DistributionSource
    /// The generated sample; nil for `dimension`, which looks at one sample.
    public var fake: DistributionSource?
    /// D; nil means 3 for manifolds, or the sample file's number of columns.
    public var dimension: Int?
    public var shape: ShapeOptions
    /// Where a named fake manifold sits against the real one (in the real one's frame).
    public var placement: Placement
    /// Points drawn from each manifold side (a file side brings all its rows).
    public var count: Int
    public var seed: Seed
    public var metrics: [MetricGroup]
    /// A sample file holding the centres of the real data's modes (one per row, in R^D), for the
    /// mode metrics of data that is no named ring or grid; `modeStd` is then each mode's std.
    public var modeCentres: String?
    public var modeStd: Double?
    /// h of the Gaussian MMD; nil: the median heuristic.
    public var bandwidth: Double?
    public var kidSubsets: Int
    public var kidSubsetSize: Int
    /// The k range of the Levina–Bickel estimate.
    public var kMin: Int
    public var kMax: Int
    /// Directions of sliced Wasserstein.
    public var projections: Int
    public var maxMemory: Int

    public static let defaultCount = 2_000
    /// Points of each sample that exact optimal transport uses: its time grows as n³ (about 0.3 s at 500
    /// points in R^64 for W1 and W2 together, 3.5 s at 1000).
    public static let exactTransportLimit = 500

    public init(real: DistributionSource, fake: DistributionSource?, dimension: Int? = nil, shape: ShapeOptions = ShapeOptions(),
                placement: Placement = Placement(), count: Int = defaultCount, seed: Seed = Seed(0),
                metrics: [MetricGroup] = MetricGroup.allCases, modeCentres: String? = nil, modeStd: Double? = nil,
                bandwidth: Double? = nil,
                kidSubsets: Int = KernelInceptionDistance.defaultSubsets, kidSubsetSize: Int = KernelInceptionDistance.defaultSubsetSize,
                kMin: Int = IntrinsicDimension.defaultKRange.lowerBound, kMax: Int = IntrinsicDimension.defaultKRange.upperBound,
                projections: Int = 200, maxMemory: Int = ByteCount.defaultLimit) {
        self.real = real
        self.fake = fake
        self.dimension = dimension
        self.shape = shape
        self.placement = placement
        self.count = count
        self.seed = seed
        self.metrics = metrics
        self.modeCentres = modeCentres
        self.modeStd = modeStd
        self.bandwidth = bandwidth
        self.kidSubsets = kidSubsets
        self.kidSubsetSize = kidSubsetSize
        self.kMin = kMin
        self.kMax = kMax
        self.projections = projections
        self.maxMemory = maxMemory
    }

    /// The request as the divergence machinery reads it (P = real, Q = fake), to resolve and draw
    /// both sides. A named fake manifold shares the real one's frame, so that `--real ring --fake
    /// ring` compares a law with itself; `placement` moves it from there.
    var divergenceRequest: DivergenceRequest {
        var placed = placement
        if case .manifold = real, case .manifold? = fake { placed.sameFrame = true }
        return DivergenceRequest(p: real, q: fake ?? real, dimension: dimension, shape: shape, placement: placed,
                                 count: count, seed: seed, projections: projections, maxMemory: maxMemory)
    }

    /// Checks the scalar options before any file is read or point drawn.
    public func validate() throws(ManifoldLabError) {
        try divergenceRequest.validate()
        guard count >= 2 else {
            throw .invalidValue(parameter: "n", value: String(count), allowed: "at least 2 points per sample")
        }
        guard kidSubsets >= 1 else {
            throw .invalidValue(parameter: "kid_subsets", value: String(kidSubsets), allowed: "at least 1 subset")
        }
        guard kidSubsetSize >= 2 else {
            throw .invalidValue(parameter: "kid_subset_size", value: String(kidSubsetSize), allowed: "at least 2 points per subset")
        }
        guard kMin >= 2, kMin <= kMax, kMax <= 1000 else {
            throw .invalidValue(parameter: "k_min", value: "\(kMin) (k_max \(kMax))", allowed: "2 ≤ k_min ≤ k_max ≤ 1000")
        }
        if let bandwidth, !(bandwidth > 0 && bandwidth.isFinite) {
            throw .invalidValue(parameter: "bandwidth", value: NumberFormat.text(bandwidth), allowed: "a positive, finite kernel width h")
        }
        if modeCentres != nil {
            guard let modeStd, modeStd > 0, modeStd.isFinite else {
                throw .invalidValue(parameter: "mode_std", value: modeStd.map(NumberFormat.text) ?? "none",
                                    allowed: "each mode's standard deviation s > 0, required with --modes file:PATH")
            }
        }
        if metrics.isEmpty {
            throw .invalidValue(parameter: "metrics", value: "an empty list", allowed: MetricGroup.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }
}
