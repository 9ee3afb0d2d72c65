import Foundation

/// The unit circle in a 2-flat, with the angle t uniform on [0, 2π): y = (cos t, sin t).
public struct Circle: Manifold {
    public init() {}
    public var name: String { "circle" }
    public var intrinsicDimension: Int { 1 }
    public var spanDimension: Int { 2 }
    public var parameterDomain: [ClosedRange<Double>] { [0 ... 2 * .pi] }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        u[0] = rng.uniform(0, 2 * .pi)
    }
    public var periodicParameters: [Bool] { [true] }
    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        u[0] = 2 * .pi * t[0]
    }
    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        (0 ... 2 * .pi).contains(u[0]) ? 1 / (2 * .pi) : 0
    }
    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        y[0] = cos(u[0])
        y[1] = sin(u[0])
    }
    public func residual(canonical y: [Double]) -> Double { abs(hypot(y[0], y[1]) - 1) }
}

/// Two turns of a unit-radius helix rising one unit per turn, centred at the origin, with t uniform
/// on [0, 4π] (uniform in arc length): y = (cos t, sin t, t/2π − 1).
public struct Helix: Manifold {
    public init() {}
    public var name: String { "helix" }
    public var intrinsicDimension: Int { 1 }
    public var spanDimension: Int { 3 }
    public var parameterDomain: [ClosedRange<Double>] { [0 ... 4 * .pi] }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        u[0] = rng.uniform(0, 4 * .pi)
    }
    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        u[0] = 4 * .pi * t[0]
    }
    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        (0 ... 4 * .pi).contains(u[0]) ? 1 / (4 * .pi) : 0
    }
    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        y[0] = cos(u[0])
        y[1] = sin(u[0])
        y[2] = u[0] / (2 * .pi) - 1
    }
    /// Distance to the helix point whose parameter is read off the height and angle of `y`.
    public func residual(canonical y: [Double]) -> Double {
        let angle = atan2(y[1], y[0])
        let fromHeight = 2 * .pi * (y[2] + 1)
        let turns = ((fromHeight - angle) / (2 * .pi)).rounded()
        let t = min(max(angle + 2 * .pi * turns, 0), 4 * .pi)
        return hypot(hypot(y[0] - cos(t), y[1] - sin(t)), y[2] - (t / (2 * .pi) - 1))
    }
}
