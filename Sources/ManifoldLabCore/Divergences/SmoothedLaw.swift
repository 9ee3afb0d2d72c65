import Foundation

/// A law P_σ = P * N(0, σ²I_D) that can be sampled and whose log-density can be evaluated: what the
/// `smoothed` estimator needs from each side.
public protocol SmoothedLaw {
    var dimension: Int { get }
    /// How the density is computed, for the estimate's `method` note.
    var densityMethod: String { get }
    /// `count` points from P_σ.
    func sample(count: Int, seed: Seed) -> Matrix<Double>
    /// log p_σ at every row of `points`.
    func logDensity(_ points: Matrix<Double>) -> [Double]
}

/// A smoothed law that is the image of the uniform law on [0, 1)^s under a known map, so the
/// estimator can draw it with randomly shifted Sobol points instead of pseudo-random ones.
public protocol UnitCubeImage: SmoothedLaw {
    /// s, the number of uniform coordinates per point.
    var unitCubeDimension: Int { get }
    /// Vectors spanning the directions, from the origin, in which the unsmoothed law lies (its
    /// frame's columns and its centre), or nil when it may fill R^D.
    var supportDirections: [[Double]]? { get }
    /// The law's points at the rows of `cube` (count × s), the noise coordinates read in `noiseBasis`
    /// (the standard basis when nil).
    func points(fromUnitCube cube: Matrix<Double>, noiseBasis: HouseholderBasis?) -> Matrix<Double>
}

/// A user's sample set convolved with N(0, σ²I): the Gaussian mixture (1/N) Σ_j N(x_j, σ²I).
public struct SmoothedSampleSet: UnitCubeImage {
    public let points: Matrix<Double>
    public let sigma: Double
    /// "p" or "q": names the random stream of draws.
    public let role: String
    let kernel: KernelSum

    public init(points: Matrix<Double>, sigma: Double, role: String) {
        precondition(sigma > 0)
        self.points = points
        self.sigma = sigma
        self.role = role
        self.kernel = KernelSum(nodes: points)
    }

    public var dimension: Int { points.columns }
    public var densityMethod: String { "Gaussian mixture of the \(points.rows) sample points" }

    public func sample(count: Int, seed: Seed) -> Matrix<Double> {
        let pick = RandomStream(seed: seed.child(.points(role)))
        let noise = RandomStream(seed: seed.child(.noise(role)))
        let d = dimension
        var result = Matrix<Double>(rows: count, columns: d)
        for i in 0..<count {
            let j = pick.integer(below: points.rows)
            for c in 0..<d { result[i, c] = points[j, c] + noise.gaussian(sigma: sigma) }
        }
        return result
    }

    /// Row ⌊t₀·N⌋ of the sample set plus σ·Φ⁻¹(t₁…t_D).
    public var unitCubeDimension: Int { 1 + dimension }
    public var supportDirections: [[Double]]? { nil }

    public func points(fromUnitCube cube: Matrix<Double>, noiseBasis: HouseholderBasis?) -> Matrix<Double> {
        var result = UnitCube.normalNoise(cube, columns: 1..<cube.columns, sigma: sigma, basis: noiseBasis)
        for i in 0..<cube.rows {
            let j = min(Int(cube[i, 0] * Double(points.rows)), points.rows - 1)
            for c in 0..<dimension { result[i, c] += points[j, c] }
        }
        return result
    }

    public func logDensity(_ queries: Matrix<Double>) -> [Double] {
        let normaliser = -0.5 * Double(dimension) * log(2 * .pi * sigma * sigma)
        return kernel.logSums(at: queries, sigma: sigma).map { $0 + normaliser }
    }
}
