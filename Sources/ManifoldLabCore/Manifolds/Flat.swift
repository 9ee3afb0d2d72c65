import Foundation

/// The uniform law on the cube [−L/2, L/2]^k inside a k-flat: `line` (k = 1), `plane` (k = 2),
/// `flat` (any k) and the full-dimensional reference `uniform` (k = D).
public struct Flat: Manifold {
    public let name: String
    public let intrinsicDimension: Int
    /// Edge length L of the cube (1 by default: segments of length 1, unit squares).
    public let edge: Double

    public init(name: String, dimension: Int, edge: Double = 1) {
        precondition(dimension >= 1 && edge > 0)
        self.name = name
        self.intrinsicDimension = dimension
        self.edge = edge
    }

    public var spanDimension: Int { intrinsicDimension }
    public var parameterDomain: [ClosedRange<Double>] {
        Array(repeating: -edge / 2 ... edge / 2, count: intrinsicDimension)
    }

    public func sampleParameters(into u: UnsafeMutableBufferPointer<Double>, rng: RandomStream) {
        for i in 0..<intrinsicDimension { u[i] = rng.uniform(-edge / 2, edge / 2) }
    }

    public func parameters(fromUnitCube t: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<intrinsicDimension { u[i] = edge * (t[i] - 0.5) }
    }

    public func parameterDensity(_ u: UnsafeBufferPointer<Double>) -> Double {
        for i in 0..<intrinsicDimension where abs(u[i]) > edge / 2 { return 0 }
        return 1 / pow(edge, Double(intrinsicDimension))
    }

    public func point(parameters u: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<intrinsicDimension { y[i] = u[i] }
    }

    public func residual(canonical y: [Double]) -> Double {
        var squared = 0.0
        for value in y { let excess = max(abs(value) - edge / 2, 0); squared += excess * excess }
        return squared.squareRoot()
    }
}
