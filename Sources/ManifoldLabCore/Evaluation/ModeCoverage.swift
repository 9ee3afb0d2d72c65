import Foundation

/// How well generated samples cover the modes of a Gaussian mixture, by the protocol of the
/// Unrolled-GAN, VEEGAN and PacGAN papers, so the numbers compare with theirs:
///
/// - a sample is *high quality* when it lies within 3 standard deviations of its nearest mode;
/// - a mode is *covered* when at least one high-quality sample is nearest to it;
/// - `mode_kl` is KL(h ‖ uniform) for the histogram h of high-quality samples over the modes
///   (0: all modes equally filled; log K: one mode only).
///
/// Samples are first projected on the data's plane, as the protocol and the 2-D papers
/// do; how far they sit off that plane is reported beside the metrics (`off_plane`, the mean
/// distance), since in R^D a sample can be near a mode in projection and far from the data.
public struct ModeCoverage: Sendable, Codable, Equatable {
    /// K: the number of modes.
    public let modes: Int
    public let modesCovered: Int
    /// The fraction of samples that are high quality.
    public let highQualityFraction: Double
    /// KL(h ‖ uniform) in nats; nil when no sample is high quality (h undefined).
    public let modeKL: Double?
    /// High-quality samples nearest to each mode.
    public let counts: [Int]
    /// The mean distance of the samples to the data's plane (0 in R^2).
    public let meanOffPlane: Double

    /// Samples drawn for the metrics, as in the papers.
    public static let sampleCount = 2500
    /// The high-quality radius, in mode standard deviations.
    public static let threshold = 3.0

    /// The metrics of `samples` (rows × D) against `mixture` placed in R^D by `embedding`.
    public init(samples: Matrix<Double>, mixture: GaussianMixture, embedding: Embedding) {
        let k = mixture.means.count
        let radius = Self.threshold * mixture.standardDeviation
        var counts = [Int](repeating: 0, count: k)
        var offPlaneSum = 0.0
        for i in 0..<samples.rows {
            let (u, offPlane) = embedding.project(samples.row(i))
            var nearest = 0, best = Double.infinity
            for (j, mean) in mixture.means.enumerated() {
                var d = 0.0
                for a in mean.indices { d += (u[a] - mean[a]) * (u[a] - mean[a]) }
                if d < best { best = d; nearest = j }
            }
            offPlaneSum += offPlane
            if best.squareRoot() <= radius { counts[nearest] += 1 }
        }
        self.init(counts: counts, samples: samples.rows, meanOffPlane: offPlaneSum / Double(samples.rows))
    }

    /// The metrics from the high-quality counts per mode, out of `samples` samples.
    public init(counts: [Int], samples: Int, meanOffPlane: Double = 0) {
        precondition(!counts.isEmpty && samples > 0)
        let total = counts.reduce(0, +)
        modes = counts.count
        modesCovered = counts.filter { $0 > 0 }.count
        highQualityFraction = Double(total) / Double(samples)
        self.counts = counts
        self.meanOffPlane = meanOffPlane
        if total == 0 {
            modeKL = nil
        } else {
            let k = Double(counts.count)
            modeKL = counts.reduce(0.0) { sum, c in
                guard c > 0 else { return sum }
                let p = Double(c) / Double(total)
                return sum + p * log(p * k)
            }
        }
    }
}

extension ManifoldSpec {
    /// The data's mixture when the metrics of ``ModeCoverage`` apply (ring or grid), else nil.
    public func modeMixture(dimension: Int) -> GaussianMixture? {
        guard kind == .ring || kind == .grid else { return nil }
        return (try? manifold(dimension: dimension)) as? GaussianMixture
    }
}
