import Foundation
@testable import ManifoldLabCore
import TestSupport

/// Point sets and yardsticks shared by the transport tests.
enum TransportFixtures {
    /// `n` points in R^`d` with independent N(0, σ²) coordinates plus `shift`.
    static func gaussianCloud(_ n: Int, _ d: Int, seed: UInt64, sigma: Double = 1, shift: [Double]? = nil) -> Matrix<Double> {
        let rng = RandomStream(seed: Seed(seed))
        var m = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for k in 0..<d { m[i, k] = sigma * rng.gaussian() + (shift?[k] ?? 0) } }
        return m
    }

    /// Two Gaussian clouds of 300 and 260 points in R³ with uneven masses (weights 1…5 and 1…3, the
    /// totals equalised) and one point of mass 0: the paths-agree tests' case.
    static func unevenPair() -> (x: Matrix<Double>, y: Matrix<Double>, wx: [Double], wy: [Double]) {
        let x = gaussianCloud(300, 3, seed: 101)
        let y = gaussianCloud(260, 3, seed: 102, sigma: 0.7, shift: [0.4, 0, -0.2])
        var wx = (0..<300).map { 1 + Double($0 % 5) }
        wx[7] = 0
        let wy = (0..<260).map { 1 + Double($0 % 3) }
        let scale = wx.reduce(0, +) / wy.reduce(0, +)
        return (x, y, wx, wy.map { $0 * scale })
    }

    /// `points` translated by `theta`.
    static func translated(_ points: Matrix<Double>, by theta: [Double]) -> Matrix<Double> {
        var m = points
        for i in 0..<m.rows { for k in 0..<m.columns { m[i, k] += theta[k] } }
        return m
    }

    /// `n` points on the segment of length `length`, midpoint `mid` and direction angle `angle`
    /// in the plane, at the quantiles (k + ½)/n (or uniformly at random when an rng is given).
    static func segment(_ n: Int, length: Double, mid: (Double, Double), angle: Double,
                        rng: RandomStream? = nil) -> Matrix<Double> {
        var m = Matrix<Double>(rows: n, columns: 2)
        for k in 0..<n {
            let t = (rng?.uniform() ?? (Double(k) + 0.5) / Double(n)) - 0.5
            m[k, 0] = mid.0 + length * t * cos(angle)
            m[k, 1] = mid.1 + length * t * sin(angle)
        }
        return m
    }

    /// min over permutations σ of (1/n) Σ ‖x_i − y_σ(i)‖^p, by enumerating all n! permutations.
    static func bruteForceCost(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double) -> Double {
        let n = x.rows
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<x.columns { let d = x[i, k] - y[j, k]; s += d * d }
                c[i * n + j] = pow(s.squareRoot(), order)
            }
        }
        var best = Double.infinity
        var perm = Array(0..<n)
        func recurse(_ depth: Int, _ partial: Double) {
            if partial >= best { return }
            if depth == n { best = partial; return }
            for k in depth..<n {
                perm.swapAt(depth, k)
                recurse(depth + 1, partial + c[depth * n + perm[depth]])
                perm.swapAt(depth, k)
            }
        }
        recurse(0, 0)
        return best / Double(n)
    }
}
