import CGSL
import Foundation

/// The unit sphere S^k ⊂ R^(k+1) with its uniform law, in hyperspherical angles
/// φ₁…φ_(k−1) ∈ [0, π], φ_k ∈ [0, 2π). Sampled by normalising a Gaussian vector.
public struct Sphere: Manifold {
    public let intrinsicDimension: Int

    public init(dimension: Int) {
        precondition(dimension >= 1)
        self.intrinsicDimension = dimension
    }

    public var name: String { "sphere" }
    public var spanDimension: Int { intrinsicDimension + 1 }
    public var parameterDomain: [ClosedRange<Double>] {
        Array(repeating: 0 ... Double.pi, count: intrinsicDimension - 1) + [0 ... 2 * .pi]
    }

    /// |S^k| = 2π^((k+1)/2) / Γ((k+1)/2).
    public var area: Double {
        let half = Double(intrinsicDimension + 1) / 2
        return 2 * pow(.pi, half) / gsl_sf_gamma(half)
    }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        var x = [Double](repeating: 0, count: intrinsicDimension + 1)
        repeat {
            for i in x.indices { x[i] = rng.gaussian() }
        } while x.allSatisfy { $0 == 0 }
        Self.angles(ofDirection: x, into: u)
    }

    /// The last angle goes round a full circle; the others run pole to pole.
    public var periodicParameters: [Bool] { Array(repeating: false, count: intrinsicDimension - 1) + [true] }

    /// S¹ and S² by their equal-area maps (φ = 2πt; cos φ₁ = 1 − 2t₀, φ₂ = 2πt₁: Archimedes), higher
    /// spheres by normalising a vector of k + 1 normal quantiles.
    public var unitCubeDimension: Int { intrinsicDimension <= 2 ? intrinsicDimension : intrinsicDimension + 1 }

    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        switch intrinsicDimension {
        case 1: u[0] = 2 * .pi * t[0]
        case 2: u[0] = acos(min(max(1 - 2 * t[0], -1), 1)); u[1] = 2 * .pi * t[1]
        default: Self.angles(ofDirection: (0...intrinsicDimension).map { UnitCube.normalQuantile(t[$0]) }, into: u)
        }
    }

    /// The hyperspherical angles of x/|x| (x ≠ 0): φ_j = atan2(|x_(j+1..)|, x_j), the last a full-circle angle.
    static func angles(ofDirection x: [Double], into u: UnsafeMutableBufferPointer<Double>) {
        let k = x.count - 1
        var tail = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in 0..<(k - 1) {
            u[j] = atan2(tail.isZero ? 0 : (tail * tail - x[j] * x[j]).squareRoot(), x[j])
            tail = (max(tail * tail - x[j] * x[j], 0)).squareRoot()
        }
        let last = atan2(x[k], x[k - 1])
        u[k - 1] = last < 0 ? last + 2 * .pi : last
    }

    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        let k = intrinsicDimension
        var density = 1 / area
        for j in 0..<(k - 1) {
            guard (0 ... Double.pi).contains(u[j]) else { return 0 }
            density *= pow(sin(u[j]), Double(k - 1 - j))
        }
        return (0 ... 2 * .pi).contains(u[k - 1]) ? density : 0
    }

    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let k = intrinsicDimension
        var product = 1.0
        for j in 0..<(k - 1) {
            y[j] = product * cos(u[j])
            product *= sin(u[j])
        }
        y[k - 1] = product * cos(u[k - 1])
        y[k] = product * sin(u[k - 1])
    }

    public func residual(canonical y: [Double]) -> Double {
        abs(y.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1)
    }
}

/// A swiss roll: the spiral r = t/(4.5π), t uniform on [1.5π, 4.5π], swept along a height h uniform
/// on [−½, ½]: y = (r cos t, h, r sin t). Uniform in (t, h), as in the usual benchmark, not in area.
public struct SwissRoll: Manifold {
    public init() {}
    public var name: String { "swissroll" }
    public var intrinsicDimension: Int { 2 }
    public var spanDimension: Int { 3 }
    public static let turns: ClosedRange<Double> = 1.5 * .pi ... 4.5 * .pi
    public var parameterDomain: [ClosedRange<Double>] { [Self.turns, -0.5 ... 0.5] }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        u[0] = rng.uniform(Self.turns.lowerBound, Self.turns.upperBound)
        u[1] = rng.uniform(-0.5, 0.5)
    }
    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        u[0] = Self.turns.lowerBound + t[0] * (Self.turns.upperBound - Self.turns.lowerBound)
        u[1] = t[1] - 0.5
    }
    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        Self.turns.contains(u[0]) && abs(u[1]) <= 0.5 ? 1 / (3 * .pi) : 0
    }
    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let r = u[0] / (4.5 * .pi)
        y[0] = r * cos(u[0])
        y[1] = u[1]
        y[2] = r * sin(u[0])
    }
    /// Distance to the roll point whose t is read off the radius of (y₀, y₂).
    public func residual(canonical y: [Double]) -> Double {
        let t = min(max(hypot(y[0], y[2]) * 4.5 * .pi, Self.turns.lowerBound), Self.turns.upperBound)
        let r = t / (4.5 * .pi)
        let h = min(max(y[1], -0.5), 0.5)
        return hypot(hypot(y[0] - r * cos(t), y[2] - r * sin(t)), y[1] - h)
    }
}

/// A torus of radii R = 1 and r = 1/3 with both angles uniform on [0, 2π) (uniform in the angles,
/// not in area): y = ((R + r cos v) cos u, (R + r cos v) sin u, r sin v).
public struct Torus: Manifold {
    public init() {}
    public var name: String { "torus" }
    public var intrinsicDimension: Int { 2 }
    public var spanDimension: Int { 3 }
    static let major = 1.0, minor = 1.0 / 3
    public var parameterDomain: [ClosedRange<Double>] { [0 ... 2 * .pi, 0 ... 2 * .pi] }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        u[0] = rng.uniform(0, 2 * .pi)
        u[1] = rng.uniform(0, 2 * .pi)
    }
    public var periodicParameters: [Bool] { [true, true] }
    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        u[0] = 2 * .pi * t[0]
        u[1] = 2 * .pi * t[1]
    }
    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        (0 ... 2 * .pi).contains(u[0]) && (0 ... 2 * .pi).contains(u[1]) ? 1 / (4 * .pi * .pi) : 0
    }
    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let ring = Self.major + Self.minor * cos(u[1])
        y[0] = ring * cos(u[0])
        y[1] = ring * sin(u[0])
        y[2] = Self.minor * sin(u[1])
    }
    public func residual(canonical y: [Double]) -> Double {
        abs(hypot(hypot(y[0], y[1]) - Self.major, y[2]) - Self.minor)
    }
}
