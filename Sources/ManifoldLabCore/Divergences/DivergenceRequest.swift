/// Where one side of a comparison comes from: a named manifold, or the user's own sample file.
public enum DistributionSource: Codable, Equatable, Sendable, CustomStringConvertible {
    case manifold(ManifoldSpec)
    case file(path: String)

    /// Parses `name` or `file:PATH`.
    public static func parse(_ text: String, option: String) throws(ManifoldLabError) -> DistributionSource {
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else {
                throw .invalidValue(parameter: option, value: text, allowed: "file:PATH with the path of a sample file (or file:- for standard input)")
            }
            return .file(path: path)
        }
        return .manifold(try ManifoldSpec.named(text, option: option))
    }

    public var description: String {
        switch self {
        case .manifold(let spec): return spec.kind.rawValue
        case .file(let path): return "file:" + path
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = text.hasPrefix("file:") ? .file(path: String(text.dropFirst(5)))
                                       : .manifold(ManifoldSpec(kind: ManifoldKind(rawValue: text) ?? .line))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// How a divergence is computed; `auto` picks the best that applies and says which.
public enum DivergenceMethod: String, CaseIterable, Codable, Sendable {
    case auto, exact, smoothed, knn, classifier, sinkhorn, sliced
}

/// Everything `js`, `kl`, `wasserstein` and `divergences` need, validated once.
public struct DivergenceRequest: Codable, Sendable {
    public var p: DistributionSource
    public var q: DistributionSource
    /// D; nil means 3 for manifolds, or the sample file's number of columns.
    public var dimension: Int?
    public var shape: ShapeOptions
    public var placement: Placement
    /// σ of the instance noise added to both P and Q.
    public var noise: Double
    /// Sample size per distribution; nil: the method's default (``DivergenceEngine``).
    public var count: Int?
    public var seed: Seed
    public var method: DivergenceMethod
    /// k of the kNN estimators.
    public var neighbours: Int
    /// Number of directions L of sliced Wasserstein.
    public var projections: Int
    /// Sinkhorn's blur in distance units (ε = blur^p); nil: ``SinkhornEpsilon/standard``.
    public var blur: Double?
    /// Sinkhorn's ε in cost units, for the divergence S_ε at that ε; exclusive with `blur`.
    public var epsilon: Double?
    public var maxMemory: Int

    public init(p: DistributionSource = .manifold(ManifoldSpec(kind: .line)),
                q: DistributionSource = .manifold(ManifoldSpec(kind: .plane)),
                dimension: Int? = nil, shape: ShapeOptions = ShapeOptions(), placement: Placement = Placement(),
                noise: Double = 0, count: Int? = nil, seed: Seed = Seed(0), method: DivergenceMethod = .auto,
                neighbours: Int = 5, projections: Int = 200, blur: Double? = nil, epsilon: Double? = nil,
                maxMemory: Int = ByteCount.defaultLimit) {
        self.p = p
        self.q = q
        self.dimension = dimension
        self.shape = shape
        self.placement = placement
        self.noise = noise
        self.count = count
        self.seed = seed
        self.method = method
        self.neighbours = neighbours
        self.projections = projections
        self.blur = blur
        self.epsilon = epsilon
        self.maxMemory = maxMemory
    }

    /// Checks the scalar options (files are read later, by ``DivergenceEngine``).
    public func validate() throws(ManifoldLabError) {
        try DistributionPair.validate(noise: noise)
        try placement.validate()
        if let dimension { try SampleRequest.validate(dimension: dimension) }
        if let count, count < 2 {
            throw .invalidValue(parameter: "n", value: String(count), allowed: "at least 2 points per distribution")
        }
        guard (1...100).contains(neighbours) else {
            throw .invalidValue(parameter: "k", value: String(neighbours), allowed: "a neighbour count from 1 to 100")
        }
        guard (1...100_000).contains(projections) else {
            throw .invalidValue(parameter: "projections", value: String(projections), allowed: "from 1 to 100000 directions")
        }
        try validateSinkhorn()
        let usesFile = [p, q].contains { if case .file = $0 { true } else { false } }
        if usesFile && placement != Placement() {
            throw .conflictingOptions("\(parameter: "offset"), \(parameter: "angle") and \(parameter: "same_frame") place manifolds; they do not apply to a sample file")
        }
    }
}

extension DivergenceRequest {
    /// `blur` and `epsilon` set Sinkhorn's ε: each positive and finite, not both, only with it.
    func validateSinkhorn() throws(ManifoldLabError) {
        for (name, value) in [("blur", blur), ("epsilon", epsilon)] {
            guard let value else { continue }
            guard value.isFinite, value > 0 else {
                throw .invalidValue(parameter: name, value: "\(value)", allowed: name == "blur" ? "a positive length" : "a positive ε in cost units (distance^p)")
            }
            guard method == .sinkhorn else {
                throw .conflictingOptions("\(parameter: name) sets Sinkhorn's ε; it applies with \(parameter: "method") sinkhorn only")
            }
        }
        if blur != nil && epsilon != nil {
            throw .conflictingOptions("\(parameter: "blur") and \(parameter: "epsilon") both set Sinkhorn's ε (ε = blur^p); give one")
        }
    }

    /// The ε these options ask for.
    var sinkhornEpsilon: SinkhornEpsilon {
        if let epsilon { return .absolute(epsilon) }
        if let blur { return .blur(blur) }
        return .standard
    }
}
