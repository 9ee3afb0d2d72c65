/// A probability law on a shape in canonical coordinates: intrinsic parameters u ∈ R^k drawn from
/// a law on a box (or on all of R^k), and a smooth map u ↦ y(u) ∈ R^m.
///
/// `k` is the intrinsic dimension; `m` (``spanDimension``) is the dimension of the flat that holds
/// the shape, so it embeds in any R^D with D ≥ m (see ``Embedding``). The parametrisation stays
/// visible because the divergence module integrates densities over it.
public protocol Manifold: Sendable {
    /// The name used on the command line (`line`, `helix`, `ring`, …).
    var name: String { get }
    /// k: the dimension of the support (the number of intrinsic parameters).
    var intrinsicDimension: Int { get }
    /// m: the canonical coordinates live in R^m; the ambient dimension D must be at least m.
    var spanDimension: Int { get }
    /// The box the parameters live in, one range per parameter; infinite bounds for Gaussian laws.
    var parameterDomain: [ClosedRange<Double>] { get }
    /// Draws intrinsic parameters from the parameter law into `u` (k values).
    func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream)
    /// The density of the parameter law with respect to Lebesgue measure on ``parameterDomain``.
    func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double
    /// For each parameter, whether the shape closes up along it (y at the two ends of its range
    /// agree, with all derivatives): quadrature treats such a parameter as periodic.
    var periodicParameters: [Bool] { get }
    /// s: how many uniform numbers ``parameters(fromUnitCube:into:)`` reads (k unless a shape says otherwise).
    var unitCubeDimension: Int { get }
    /// Maps t ∈ [0, 1)^s (s = ``unitCubeDimension``) to parameters that follow the parameter law
    /// when t is uniform (inverse CDFs): what lets the `smoothed` estimator use quasi-random points.
    func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>)
    /// Writes the canonical point y(u) ∈ R^m into `y`.
    func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>)
    /// A non-negative number that is 0 exactly on the shape (for flats, circle, sphere and torus it is
    /// the Euclidean distance), for checking samples; `y` holds m canonical coordinates.
    func residual(canonical y: [Double]) -> Double
}

extension Manifold {
    /// True when the law has a density on the whole flat R^m (Gaussian mixtures, full-dimensional
    /// references); false for lower-dimensional shapes.
    public var fillsSpan: Bool { intrinsicDimension == spanDimension }

    /// No parameter is periodic unless a shape says so.
    public var periodicParameters: [Bool] { Array(repeating: false, count: intrinsicDimension) }

    /// One uniform number per parameter.
    public var unitCubeDimension: Int { intrinsicDimension }

    /// Draws one canonical point; `u` is scratch space of k values.
    @inline(__always)
    public func samplePoint(into y: UnsafeMutableBufferPointer<Double>, scratch u: UnsafeMutableBufferPointer<Double>,
                     rng: RandomStream) {
        sampleParameters(into: u, rng: rng)
        point(parameters: UnsafeBufferPointer(u), into: y)
    }
}
