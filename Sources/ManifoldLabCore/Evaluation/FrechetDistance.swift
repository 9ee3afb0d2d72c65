import Foundation

/// The Fréchet distance between two samples: the FID formula (Heusel et al. 2017) on the given
/// coordinates, the squared W2 between the Gaussians that share the samples' means and covariances,
///
///     FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½),
///
/// with unbiased (n − 1) covariances and the square roots from GSL's symmetric eigensolver (the
/// Bures formula of ``AnalyticWasserstein/gaussians(mean1:covariance1:mean2:covariance2:)``).
///
/// It is biased upwards at finite n: for two independent samples of one law N(μ, Σ) of sizes n and
/// m, the mean term alone has expectation tr Σ · (1/n + 1/m), and the trace term adds more (Chong
/// & Forsyth 2020: the bias falls as 1/n). Compare FDs only at equal sample sizes.
///
/// Computed in normalised units: both samples are moved by their pooled mean c (FD does not change
/// under a common translation) and divided by the largest |coordinate − c|, s; the result is then
/// multiplied by s². Coordinates near 10^±150 thus give the same relative accuracy as near 1, and an
/// FD beyond the largest double is refused, never printed as ∞. Covariance entries below 10^-200 in
/// these units (a sample 10^160 times narrower than the other's spread) are set to 0: they are far
/// below the round-off of FD, whose larger terms are at least ~1/n here, and GSL's eigensolver does
/// not return on subnormal matrices.
public struct FrechetDistance: Sendable, Equatable {
    /// FD, in squared units of the coordinates.
    public let value: Double
    /// ‖μ₁ − μ₂‖², the part of `value` that the means contribute.
    public let meanTerm: Double
    /// The sizes of the two samples.
    public let counts: (Int, Int)

    public static func == (a: Self, b: Self) -> Bool {
        a.value == b.value && a.meanTerm == b.meanTerm && a.counts == b.counts
    }

    /// FD between the rows of `x` and of `y` (n × D and m × D, n, m ≥ 2).
    public static func measure(_ x: Matrix<Double>, _ y: Matrix<Double>) throws(ManifoldLabError) -> FrechetDistance {
        guard x.columns == y.columns, x.columns >= 1 else {
            throw .invalidValue(parameter: "the two samples", value: "\(x.columns) and \(y.columns) columns",
                                 allowed: "two samples in the same dimension D ≥ 1")
        }
        guard x.rows >= 2, y.rows >= 2 else {
            throw .invalidValue(parameter: "the two samples", value: "\(x.rows) and \(y.rows) points",
                                 allowed: "at least 2 points in each sample (a covariance needs two)")
        }
        guard allFinite(x.storage), allFinite(y.storage) else {
            throw .invalidValue(parameter: "the two samples", value: "a NaN or infinite coordinate", allowed: "finite coordinates")
        }
        let d = x.columns
        var centre = [Double](repeating: 0, count: d)
        for points in [x, y] {
            for i in 0..<points.rows { for j in 0..<d { centre[j] += points[i, j] / Double(x.rows + y.rows) } }
        }
        var scale = 0.0
        for points in [x, y] {
            for i in 0..<points.rows { for j in 0..<d { scale = max(scale, abs(points[i, j] - centre[j])) } }
        }
        guard scale > 0, scale.isFinite else {
            if scale == 0 { return FrechetDistance(value: 0, meanTerm: 0, counts: (x.rows, y.rows)) }
            throw .numericalFailure("the samples' coordinates differ by more than the largest double")
        }
        let (mean1, covariance1) = moments(x, centre: centre, scale: scale)
        let (mean2, covariance2) = moments(y, centre: centre, scale: scale)
        let normalised = try AnalyticWasserstein.gaussians(mean1: mean1, covariance1: covariance1,
                                                           mean2: mean2, covariance2: covariance2).cost
        var shift = 0.0
        for k in mean1.indices { let t = mean1[k] - mean2[k]; shift += t * t }
        // s² · FD, as (s · √FD)² so that an s near 1e150 squares only once it is known to fit.
        let root = scale * normalised.squareRoot()
        let value = root * root
        guard value.isFinite else {
            throw .numericalFailure("the Fréchet distance ≈ \(NumberFormat.text(normalised)) × \(NumberFormat.text(scale))² is beyond the largest double")
        }
        let meanRoot = scale * shift.squareRoot()
        return FrechetDistance(value: value, meanTerm: meanRoot * meanRoot, counts: (x.rows, y.rows))
    }

    /// The mean and the unbiased covariance (row-major D × D) of the rows of (points − centre) / scale;
    /// the covariance through one BLAS product of the centred rows.
    static func moments(_ points: Matrix<Double>, centre: [Double], scale: Double) -> ([Double], [Double]) {
        let n = points.rows, d = points.columns
        var centred = points.storage.enumerated().map { ($0.element - centre[$0.offset % d]) / scale }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += centred[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { centred[i * d + j] -= mean[j] } }
        var covariance = [Double](repeating: 0, count: d * d)
        centred.withUnsafeBufferPointer { c in
            covariance.withUnsafeMutableBufferPointer { s in
                Double.gemm(transA: true, transB: false, m: d, n: d, k: n, alpha: 1 / Double(n - 1),
                            a: c.baseAddress!, lda: d, b: c.baseAddress!, ldb: d, beta: 0, c: s.baseAddress!, ldc: d)
            }
        }
        // Exactly symmetric, as the eigensolver's check expects; no subnormal entries (see above).
        for i in 0..<d {
            for j in i..<d {
                var v = 0.5 * (covariance[i * d + j] + covariance[j * d + i])
                if abs(v) < 1e-200 { v = 0 }
                covariance[i * d + j] = v
                covariance[j * d + i] = v
            }
        }
        return (mean, covariance)
    }
}
