/// The shapes known by name on the command line.
public enum ManifoldKind: String, CaseIterable, Codable, Sendable {
    case line, plane, flat, circle, helix, sphere, swissroll, torus, gaussian, uniform, ring, grid

    /// One line for `--help`.
    public var summary: String {
        switch self {
        case .line: return "segment of length 1 (k = 1)"
        case .plane: return "unit square patch of a 2-flat (k = 2)"
        case .flat: return "unit cube patch of a k-flat, k = \(parameter: "intrinsic")"
        case .circle: return "unit circle (k = 1, needs D ≥ 2)"
        case .helix: return "two turns of a unit helix (k = 1, needs D ≥ 3)"
        case .sphere: return "unit sphere S^k, k = \(parameter: "intrinsic") (default 2), needs D ≥ k + 1"
        case .swissroll: return "swiss roll surface (k = 2, needs D ≥ 3)"
        case .torus: return "torus with radii 1 and 1/3 (k = 2, needs D ≥ 3)"
        case .gaussian: return "full-dimensional N(0, s²I_D), s = \(parameter: "scale") (default 1)"
        case .uniform: return "full-dimensional uniform cube [−½, ½]^D"
        case .ring: return "\(parameter: "modes") Gaussians (default 8) on the unit circle, std \(parameter: "mode_std") (0.01), on a 2-flat"
        case .grid: return "\(parameter: "modes") Gaussians on a square grid (default 25 = 5×5) at spacing 2, std \(parameter: "mode_std") (0.05), on a 2-flat"
        }
    }
}

/// A manifold as named on the command line, with the shape options that refine it. Turning it into
/// a ``Manifold`` needs the ambient dimension (for `gaussian` and `uniform`, k = D).
public struct ManifoldSpec: Codable, Equatable, Sendable {
    public var kind: ManifoldKind
    /// k for `flat` (required) and `sphere` (default 2).
    public var intrinsic: Int?
    /// Number of modes K of `ring` (default 8) or `grid` (default 25; a square number, the grid is √K × √K).
    public var modes: Int?
    /// Standard deviation of each mode for `ring` and `grid`.
    public var modeStd: Double?
    /// Standard deviation s of `gaussian`.
    public var scale: Double?

    public init(kind: ManifoldKind, intrinsic: Int? = nil, modes: Int? = nil, modeStd: Double? = nil,
                scale: Double? = nil) {
        self.kind = kind
        self.intrinsic = intrinsic
        self.modes = modes
        self.modeStd = modeStd
        self.scale = scale
    }

    /// Parses a manifold name, naming `option` in the error.
    public static func named(_ name: String, option: String = "manifold") throws(ManifoldLabError) -> ManifoldSpec {
        guard let kind = ManifoldKind(rawValue: name.lowercased()) else {
            throw .invalidValue(parameter: option, value: name,
                                 allowed: "one of \(ManifoldKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return ManifoldSpec(kind: kind)
    }

    /// The smallest ambient dimension this shape fits in (before knowing D).
    public var minimumDimension: Int {
        switch kind {
        case .line, .gaussian, .uniform: return 1
        case .plane, .circle, .ring, .grid: return 2
        case .helix, .swissroll, .torus: return 3
        case .flat: return intrinsic ?? 1
        case .sphere: return (intrinsic ?? 2) + 1
        }
    }

    /// Checks every shape option against D and builds the manifold.
    public func manifold(dimension: Int) throws(ManifoldLabError) -> any Manifold {
        if let intrinsic, ![.flat, .sphere].contains(kind) {
            throw .conflictingOptions("\(parameter: "intrinsic") \(intrinsic) applies to flat and sphere only, not \(kind.rawValue)")
        }
        if let intrinsic, intrinsic < 1 {
            throw .invalidValue(parameter: "intrinsic", value: String(intrinsic), allowed: "an intrinsic dimension k ≥ 1")
        }
        if kind == .flat && intrinsic == nil {
            throw .conflictingOptions("flat needs \(parameter: "intrinsic") k (its dimension, 1 ≤ k ≤ \(parameter: "dim"))")
        }
        if (modes != nil || modeStd != nil) && ![.ring, .grid].contains(kind) {
            throw .conflictingOptions("\(parameter: "modes") and \(parameter: "mode_std") apply to ring and grid only, not \(kind.rawValue)")
        }
        if let modes, modes < 1 || modes > 1000 {
            throw .invalidValue(parameter: "modes", value: String(modes), allowed: "an integer from 1 to 1000")
        }
        if kind == .grid, let modes, Self.gridSide(modes: modes) * Self.gridSide(modes: modes) != modes {
            throw .invalidValue(parameter: "modes", value: String(modes),
                                 allowed: "for grid, a square number of modes, all of them counted: 4 (2×2), 9, 16, 25 (5×5, the default), …, 961 (31×31)")
        }
        if let modeStd, !(modeStd.isFinite && modeStd > 0) {
            throw .invalidValue(parameter: "mode_std", value: String(modeStd), allowed: "a finite number > 0")
        }
        if scale != nil && kind != .gaussian {
            throw .conflictingOptions("\(parameter: "scale") applies to gaussian only, not \(kind.rawValue)")
        }
        if let scale, !(scale.isFinite && scale > 0) {
            throw .invalidValue(parameter: "scale", value: String(scale), allowed: "a finite number > 0")
        }
        guard dimension >= minimumDimension else {
            let k = kind == .flat || kind == .sphere ? " with k = \(intrinsic ?? 2)" : ""
            throw .invalidValue(parameter: "dim", value: String(dimension),
                                 allowed: "\(kind.rawValue)\(k) needs an ambient dimension D ≥ \(minimumDimension)")
        }
        switch kind {
        case .line: return Flat(name: "line", dimension: 1)
        case .plane: return Flat(name: "plane", dimension: 2)
        case .flat: return Flat(name: "flat", dimension: intrinsic!)
        case .uniform: return Flat(name: "uniform", dimension: dimension)
        case .circle: return Circle()
        case .helix: return Helix()
        case .sphere: return Sphere(dimension: intrinsic ?? 2)
        case .swissroll: return SwissRoll()
        case .torus: return Torus()
        case .gaussian: return GaussianMixture.gaussian(dimension: dimension, standardDeviation: scale ?? 1)
        case .ring: return GaussianMixture.ring(modes: modes ?? 8, standardDeviation: modeStd ?? 0.01)
        case .grid: return GaussianMixture.grid(side: Self.gridSide(modes: modes ?? 25), standardDeviation: modeStd ?? 0.05)
        }
    }

    /// The side √K of a grid of K modes (rounded: a K that is not a square is refused before use).
    static func gridSide(modes: Int) -> Int { Int(Double(modes).squareRoot().rounded()) }
}

/// Shape options given once on the command line and applied to every named manifold that takes
/// them (`--intrinsic` to flat and sphere, `--modes`/`--mode-std` to ring and grid, `--scale` to
/// gaussian). An option that none of the named manifolds takes is an error, not silently ignored.
public struct ShapeOptions: Codable, Equatable, Sendable {
    public var intrinsic: Int?
    public var modes: Int?
    public var modeStd: Double?
    public var scale: Double?

    public init(intrinsic: Int? = nil, modes: Int? = nil, modeStd: Double? = nil, scale: Double? = nil) {
        self.intrinsic = intrinsic
        self.modes = modes
        self.modeStd = modeStd
        self.scale = scale
    }

    /// The specs named by `names` (each with the option that named it), refined by these options.
    public func specs(_ names: [(name: String, option: String)]) throws(ManifoldLabError) -> [ManifoldSpec] {
        var specs: [ManifoldSpec] = []
        for (name, option) in names { specs.append(try ManifoldSpec.named(name, option: option)) }
        let kinds = Set(specs.map(\.kind))
        let listed = names.map(\.name).joined(separator: " and ")
        func check(_ given: Bool, _ option: String, _ takers: Set<ManifoldKind>) throws(ManifoldLabError) {
            if given && kinds.isDisjoint(with: takers) {
                let names = takers.map(\.rawValue).sorted().joined(separator: " and ")
                throw .conflictingOptions("\(option) applies to \(names) only, not to \(listed)")
            }
        }
        try check(intrinsic != nil, "\(parameter: "intrinsic")", [.flat, .sphere])
        try check(modes != nil, "\(parameter: "modes")", [.ring, .grid])
        try check(modeStd != nil, "\(parameter: "mode_std")", [.ring, .grid])
        try check(scale != nil, "\(parameter: "scale")", [.gaussian])
        return specs.map { spec in
            var spec = spec
            if [.flat, .sphere].contains(spec.kind) { spec.intrinsic = intrinsic }
            if [.ring, .grid].contains(spec.kind) { spec.modes = modes; spec.modeStd = modeStd }
            if spec.kind == .gaussian { spec.scale = scale }
            return spec
        }
    }
}
