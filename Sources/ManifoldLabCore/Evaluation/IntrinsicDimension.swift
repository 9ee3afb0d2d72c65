import Foundation

/// The intrinsic dimension of a sample, from how its nearest-neighbour distances grow: the premise
/// of the whole tool (data on a low-dimensional manifold in R^D) as a number.
///
/// Both estimators look only at ratios of distances, so they are scale-free; the points are put in
/// their own units first (``SampleScale``) so that no squared distance under- or overflows. A point
/// whose nearest neighbour is a copy of it (distance 0) has no ratio and is left out, and counted.
public enum IntrinsicDimension {
    /// TwoNN (Facco et al. 2017) as scikit-dimension 0.4+ computes it: μ_i = r₂/r₁ (second and first
    /// neighbour distances) follows a Pareto law of exponent d; sorted, the largest 10 % discarded,
    /// d is the slope through the origin of −log(1 − i/N) against log μ_(i).
    public struct TwoNN: Sendable, Equatable {
        public let value: Double
        /// d/√N: the asymptotic standard error of d for N independent Pareto ratios (neighbourhoods
        /// overlap, so it is a guide, not a guarantee).
        public let standardError: Double
        /// Points used, and points left out as repeated.
        public let points: Int, repeated: Int
    }

    public static let discardFraction = 0.1

    /// TwoNN of `sample`, from its neighbour table when one with k ≥ 2 was computed already.
    public static func twoNN(_ sample: Matrix<Double>, neighbours: SampleNeighbours? = nil) throws(ManifoldLabError) -> TwoNN {
        let nearest = try table(sample, neighbours, k: 2)
        var logRatios: [Double] = []
        for i in 0..<nearest.rows where nearest[i, 0] > 0 { logRatios.append(log(nearest[i, 1] / nearest[i, 0])) }
        let n = logRatios.count
        let kept = Int(Double(n) * (1 - discardFraction))
        guard kept >= 2 else {
            throw .invalidValue(parameter: "the sample", value: "\(n) points with distinct nearest neighbours",
                                allowed: "at least 3, so that 2 ratios remain after the largest 10 % are discarded")
        }
        logRatios.sort()
        var xy = 0.0, xx = 0.0
        for i in 0..<kept {
            let x = logRatios[i], y = -log1p(-Double(i + 1) / Double(n))
            xy += x * y
            xx += x * x
        }
        guard xx > 0 else {
            throw .numericalFailure("every point's two nearest neighbours are equally far, so TwoNN's ratios carry no dimension")
        }
        let d = xy / xx
        return TwoNN(value: d, standardError: d / Double(n).squareRoot(), points: n, repeated: nearest.rows - n)
    }

    /// The Levina–Bickel (2004) maximum-likelihood dimension: at each point
    /// d_i(k) = (k − 1) / Σ_{j<k} log(T_k/T_j), T_j the distance to the j-th neighbour; over the
    /// points the inverses are averaged (MacKay & Ghahramani's correction, scikit-dimension's
    /// `comb="mle"`), and the value is the mean of d(k) over the k range, as Levina and Bickel
    /// average over k₁ … k₂. With k₁ = k₂ = 20 it is scikit-dimension's `MLE().fit(X).dimension_`.
    public struct LevinaBickel: Sendable, Equatable {
        public let value: Double
        /// d(k) for each k of the range, in order.
        public let byK: [Double]
        public let kRange: ClosedRange<Int>
        public let points: Int, repeated: Int
    }

    public static let defaultKRange = 10...20

    /// The Levina–Bickel estimate of `sample`, from its neighbour table when one with k ≥ k₂ was computed already.
    public static func levinaBickel(_ sample: Matrix<Double>, k range: ClosedRange<Int> = defaultKRange,
                                    neighbours: SampleNeighbours? = nil) throws(ManifoldLabError) -> LevinaBickel {
        guard range.lowerBound >= 2, range.upperBound <= 1000 else {
            throw .invalidValue(parameter: "k_min", value: "\(range.lowerBound)…\(range.upperBound)",
                                allowed: "a neighbour range within 2…1000 (k_min ≤ k_max)")
        }
        let nearest = try table(sample, neighbours, k: range.upperBound)
        var used = 0
        var inverseSums = [Double](repeating: 0, count: range.count)
        for i in 0..<nearest.rows where nearest[i, 0] > 0 {
            used += 1
            var logSum = 0.0  // Σ_{j<k} log T_j, grown with k
            for k in 2...range.upperBound {
                logSum += log(nearest[i, k - 2])
                guard k >= range.lowerBound else { continue }
                // 1/d_i(k) = Σ_{j<k} log(T_k/T_j) / (k − 1)
                let inverse = (Double(k - 1) * log(nearest[i, k - 1]) - logSum) / Double(k - 1)
                inverseSums[k - range.lowerBound] += inverse
            }
        }
        guard used >= 1 else {
            throw .numericalFailure("every point of the sample is repeated, so its neighbour distances carry no dimension")
        }
        var byK: [Double] = []
        for total in inverseSums {
            guard total > 0 else {
                throw .numericalFailure("the neighbour distances do not grow with k (too many repeated points), so the likelihood estimate has no value")
            }
            byK.append(Double(used) / total)
        }
        return LevinaBickel(value: byK.reduce(0, +) / Double(byK.count), byK: byK, kRange: range,
                            points: used, repeated: nearest.rows - used)
    }

    /// The first k columns of the sample's neighbour table (computed now unless given).
    static func table(_ sample: Matrix<Double>, _ given: SampleNeighbours?, k: Int) throws(ManifoldLabError) -> Matrix<Double> {
        if let given, given.distances.columns >= k, given.distances.rows == sample.rows { return given.distances }
        return try SampleNeighbours(sample, k: k).distances
    }
}

/// The distances from every point of a sample to its k nearest others (itself excluded, a copy of
/// it counted at distance 0), in the sample's own units (``SampleScale``: no square under- or
/// overflows at 10^±150): computed once, for every metric of `evaluate` that needs them.
public struct SampleNeighbours: Sendable {
    /// n × k, ascending along each row, in units of ``scale``.
    public let distances: Matrix<Double>
    /// The unit: a power of two, so that converting to another unit is exact.
    public let scale: Double

    public init(_ sample: Matrix<Double>, k: Int) throws(ManifoldLabError) {
        guard sample.rows > k else {
            throw .invalidValue(parameter: "the sample", value: "\(sample.rows) points",
                                allowed: "more than \(k) points (each needs \(k) neighbours)")
        }
        guard allFinite(sample.storage) else {
            throw .invalidValue(parameter: "the sample", value: "a NaN or infinite coordinate", allowed: "finite coordinates")
        }
        let units = SampleScale([sample])
        let points = units.apply(sample)
        distances = NearestNeighbours.distances(from: points, to: points, k: k, excludingSelf: true)
        scale = units.scale
    }
}
