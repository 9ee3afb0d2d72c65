import Foundation

/// Small statistical yardsticks for tests, computed from first principles.
public enum TestStatistics {
    /// Kolmogorov–Smirnov statistic sup |F_n − F| of `samples` against the CDF `cdf`.
    public static func kolmogorovSmirnov(_ samples: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        var worst = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            worst = max(worst, abs(Double(i + 1) / n - f), abs(f - Double(i) / n))
        }
        return worst
    }

    /// The KS critical value at significance 0.001: c(α)/√n with c = √(−½ ln(α/2)) ≈ 1.949.
    public static func kolmogorovSmirnovCritical(count: Int) -> Double {
        (-0.5 * log(0.0005)).squareRoot() / Double(count).squareRoot()
    }

    /// Pearson χ² statistic of observed counts against equal expected counts.
    public static func chiSquaredUniform(_ counts: [Int]) -> Double {
        let expected = Double(counts.reduce(0, +)) / Double(counts.count)
        return counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
    }

    public static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
}

/// Standard normal CDF.
public func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }
