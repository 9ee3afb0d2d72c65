import Foundation
import RealModule

/// Unbiased MMD² (Gretton et al. 2012) between two samples with the Gaussian kernel
/// k(x, y) = exp(−|x − y|² / 2h²), and its delete-a-block jackknife standard error.
///
/// The bandwidth h is the median distance between the points of both samples pooled (the median
/// heuristic, on up to 1000 evenly spaced points) unless given. Both samples are first put in their
/// common units (``SampleScale``) and h with them: MMD² with this kernel is dimensionless, so it is
/// the same at 10^±150 as near 1. The unbiased statistic can be slightly negative when the laws are
/// equal; it is reported as it is (clamping it at 0 would bias it).
public struct GaussianMMD: Sendable, Equatable {
    /// MMD², unbiased.
    public let value: Double
    /// The jackknife standard error over ``jackknifeBlocks`` blocks of each sample.
    public let standardError: Double
    /// h, in the coordinates' units.
    public let bandwidth: Double
    /// True when h is the median heuristic's, false when given.
    public let medianHeuristic: Bool

    public static let jackknifeBlocks = 20
    /// Points of the pooled sample whose pairwise distances give the median heuristic.
    public static let medianPoints = 1000

    struct Kernel: PairKernel {
        /// −1 / 2h².
        let rate: Double
        func sum(dots: UnsafePointer<Double>, squaredA: Double, squaredB: UnsafePointer<Double>, count: Int) -> SIMD4<Double> {
            var total = 0.0
            for t in 0..<count {
                // fastExp gives e^−708 for anything smaller: an absolute error below 1e-307 per pair.
                total = Relaxed.sum(total, fastExp(rate * max(0, squaredA + squaredB[t] - 2 * dots[t])))
            }
            return SIMD4(total, 0, 0, 0)
        }
    }

    /// MMD² between the rows of `x` and of `y` (at least 4 each), with bandwidth `bandwidth` or the
    /// median heuristic's.
    public static func measure(_ x: Matrix<Double>, _ y: Matrix<Double>, bandwidth: Double? = nil) throws(ManifoldLabError) -> GaussianMMD {
        try EvaluationInput.check(x, y, minimum: 4, why: "the jackknife needs 4")
        if let bandwidth, !(bandwidth > 0 && bandwidth.isFinite) {
            throw .invalidValue(parameter: "bandwidth", value: NumberFormat.text(bandwidth), allowed: "a positive, finite kernel width h")
        }
        let scale = SampleScale([x, y])
        let u = scale.apply(x), v = scale.apply(y)
        let h: Double
        if let bandwidth {
            h = bandwidth / scale.scale
            guard h > 0 && h.isFinite else {
                throw .invalidValue(parameter: "bandwidth", value: NumberFormat.text(bandwidth),
                                    allowed: "a width within 10^±300 of the samples' spread \(NumberFormat.text(scale.scale))")
            }
        } else {
            h = medianDistance(u, v)
            guard h > 0 else {
                throw .numericalFailure("the median distance between the points is 0 (most of them are repeated), so the median heuristic gives no bandwidth: give --bandwidth")
            }
        }
        let blocks = min(jackknifeBlocks, x.rows / 2, y.rows / 2)
        let kernel = Kernel(rate: -0.5 / (h * h))
        let mmd = UnbiasedMMD(xx: KernelBlockSums(u, nil, blocks: blocks, kernel: kernel),
                              yy: KernelBlockSums(v, nil, blocks: blocks, kernel: kernel),
                              xy: KernelBlockSums(u, v, blocks: blocks, kernel: kernel))
        return GaussianMMD(value: mmd.value[0], standardError: mmd.jackknifeError { $0[0] },
                           bandwidth: h * scale.scale, medianHeuristic: bandwidth == nil)
    }

    /// The median of the pairwise distances among up to ``medianPoints`` evenly spaced rows of both samples.
    static func medianDistance(_ x: Matrix<Double>, _ y: Matrix<Double>) -> Double {
        let half = medianPoints / 2
        let pooled = x.rows(at: evenlySpaced(x.rows, half)).storage + y.rows(at: evenlySpaced(y.rows, half)).storage
        let d = x.columns, count = pooled.count / d
        var distances: [Double] = []
        distances.reserveCapacity(count * (count - 1) / 2)
        for i in 0..<count {
            for j in (i + 1)..<count {
                var s = 0.0
                for c in 0..<d { let e = pooled[i * d + c] - pooled[j * d + c]; s += e * e }
                distances.append(s.squareRoot())
            }
        }
        distances.sort()
        let k = distances.count
        return k % 2 == 1 ? distances[k / 2] : 0.5 * (distances[k / 2 - 1] + distances[k / 2])
    }

    /// Up to `limit` indices spread evenly over 0..<n.
    static func evenlySpaced(_ n: Int, _ limit: Int) -> [Int] {
        n <= limit ? Array(0..<n) : (0..<limit).map { $0 * n / limit }
    }
}

/// The Kernel Inception Distance formula (Bińkowski et al. 2018) on the given coordinates: unbiased
/// MMD² with the cubic polynomial kernel k(x, y) = (x·y/D + 1)³, averaged over random subsets of
/// both samples, as torch-fidelity computes it (100 subsets of 1000 points by default; its
/// `kid_subsets` and `kid_subset_size`). With subsets as large as both samples, one subset is the
/// whole statistic and has no subset noise.
///
/// The constant of (t + 1)³ = t³ + 3t² + 3t + 1 cancels exactly in the unbiased statistic, so it
/// is left out: with t = s²·w, w the inner product of the coordinates in units of their largest
/// magnitude s, each subset's value is s²(3M₁ + s²(3M₂ + s²M₃)), M_p the statistic of the kernel w^p.
/// Samples near 10^-150 thus keep their digits (1 + t would round to 1), and a KID beyond the
/// largest double (coordinates beyond ~10^51) is refused, not printed as ∞.
public struct KernelInceptionDistance: Sendable, Equatable {
    /// The mean over subsets of the unbiased MMD².
    public let value: Double
    /// The standard deviation over subsets (population, as numpy's default); 0 for one subset.
    /// The spread of one subset's value, not a standard error of the mean (subsets overlap).
    public let subsetStd: Double
    public let subsets: Int
    public let subsetSize: Int

    public static let defaultSubsets = 100
    public static let defaultSubsetSize = 1000

    struct Kernel: PairKernel {
        let inverseDimension: Double
        func sum(dots: UnsafePointer<Double>, squaredA: Double, squaredB: UnsafePointer<Double>, count: Int) -> SIMD4<Double> {
            var s1 = 0.0, s2 = 0.0, s3 = 0.0
            for t in 0..<count {
                let w = dots[t] * inverseDimension, w2 = w * w
                s1 = Relaxed.sum(s1, w)
                s2 = Relaxed.sum(s2, w2)
                s3 = Relaxed.sum(s3, w2 * w)
            }
            return SIMD4(s1, s2, s3, 0)
        }
    }

    /// KID between the rows of `x` and `y`. Subsets are drawn without replacement from `seed`;
    /// their size is at most the smaller sample's.
    public static func measure(_ x: Matrix<Double>, _ y: Matrix<Double>, subsets: Int = defaultSubsets,
                               subsetSize: Int = defaultSubsetSize, seed: Seed) throws(ManifoldLabError) -> KernelInceptionDistance {
        try EvaluationInput.check(x, y, minimum: 2, why: "an unbiased MMD² needs 2")
        guard subsets >= 1 else {
            throw .invalidValue(parameter: "kid_subsets", value: String(subsets), allowed: "at least 1 subset")
        }
        guard subsetSize >= 2 else {
            throw .invalidValue(parameter: "kid_subset_size", value: String(subsetSize), allowed: "at least 2 points per subset")
        }
        var largest = 0.0
        for value in x.storage { largest = max(largest, abs(value)) }
        for value in y.storage { largest = max(largest, abs(value)) }
        guard largest > 0 else { return KernelInceptionDistance(value: 0, subsetStd: 0, subsets: 1, subsetSize: min(x.rows, y.rows)) }
        let s = exp2(log2(largest).rounded(.up))  // a power of two: the division is exact
        var scaledX = x, scaledY = y
        for i in scaledX.storage.indices { scaledX.storage[i] /= s }
        for i in scaledY.storage.indices { scaledY.storage[i] /= s }
        let u = scaledX, v = scaledY
        let size = min(subsetSize, x.rows, y.rows)
        let whole = size == x.rows && size == y.rows
        let count = whole ? 1 : subsets
        let kernel = Kernel(inverseDimension: 1 / Double(x.columns))
        // The subsets are drawn in order from one stream, then measured on two threads (one subset
        // each at a time), each writing only its own slot: the result does not depend on the threads.
        let rng = RandomStream(seed: seed.child(.kidSubsets))
        let picks: [([Int], [Int])] = (0..<count).map { _ in
            whole ? ([], []) : (Array(rng.permutation(u.rows).prefix(size)), Array(rng.permutation(v.rows).prefix(size)))
        }
        var lanes = [SIMD4<Double>](repeating: .zero, count: count)
        lanes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let slots = out.baseAddress!
            NearestNeighbours.forEachChunk(count) { t in
                Interruption.checkpoint()
                let a = whole ? u : u.rows(at: picks[t].0), b = whole ? v : v.rows(at: picks[t].1)
                slots[t] = UnbiasedMMD(xx: KernelBlockSums(a, nil, blocks: 1, kernel: kernel, parallel: whole),
                                       yy: KernelBlockSums(b, nil, blocks: 1, kernel: kernel, parallel: whole),
                                       xy: KernelBlockSums(a, b, blocks: 1, kernel: kernel, parallel: whole)).value
            }
        }
        var values: [Double] = []
        let q = s * s
        for lane in lanes {
            let value = q * (3 * lane[0] + q * (3 * lane[1] + q * lane[2]))
            guard value.isFinite else {
                throw .numericalFailure("KID ≈ \(NumberFormat.text(lane[2])) × \(NumberFormat.text(s))⁶ is beyond the largest double (coordinates of \(NumberFormat.text(largest)))")
            }
            values.append(value)
        }
        let mean = MeanStd(values).mean
        let spread = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        return KernelInceptionDistance(value: mean, subsetStd: spread, subsets: count, subsetSize: size)
    }
}

/// The checks every evaluation metric makes on its two samples.
enum EvaluationInput {
    static func check(_ x: Matrix<Double>, _ y: Matrix<Double>, minimum: Int, why: String) throws(ManifoldLabError) {
        guard x.columns == y.columns, x.columns >= 1 else {
            throw .invalidValue(parameter: "the two samples", value: "\(x.columns) and \(y.columns) columns",
                                allowed: "two samples in the same dimension D ≥ 1")
        }
        guard x.rows >= minimum, y.rows >= minimum else {
            throw .invalidValue(parameter: "the two samples", value: "\(x.rows) and \(y.rows) points",
                                allowed: "at least \(minimum) points in each sample (\(why))")
        }
        guard allFinite(x.storage), allFinite(y.storage) else {
            throw .invalidValue(parameter: "the two samples", value: "a NaN or infinite coordinate", allowed: "finite coordinates")
        }
    }
}
