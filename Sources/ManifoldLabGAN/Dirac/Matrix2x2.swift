import Foundation
import ManifoldLabCore

/// A real 2×2 matrix [[a, b], [c, d]]: Jacobians of the Dirac-GAN vector field and of its updates.
public struct Matrix2x2: Sendable, Equatable, Codable {
    public var a: Double, b: Double, c: Double, d: Double

    public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    /// A complex eigenvalue re + im·i, written as the pair [re, im] in JSON.
    public struct Eigenvalue: Sendable, Equatable, Codable {
        public var real: Double
        public var imaginary: Double

        public init(_ real: Double, _ imaginary: Double) {
            self.real = real
            self.imaginary = imaginary
        }

        /// |λ|.
        public var modulus: Double { hypot(real, imaginary) }

        public init(from decoder: any Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            real = try pair.decode(Double.self)
            imaginary = try pair.decode(Double.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var pair = encoder.unkeyedContainer()
            try pair.encode(real)
            try pair.encode(imaginary)
        }
    }

    public static let identity = Matrix2x2(1, 0, 0, 1)

    public var trace: Double { a + d }
    public var determinant: Double { a * d - b * c }
    /// Rows, for output: [[a, b], [c, d]].
    public var rows: [[Double]] { [[a, b], [c, d]] }

    public static func * (m: Matrix2x2, n: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(m.a * n.a + m.b * n.c, m.a * n.b + m.b * n.d,
                  m.c * n.a + m.d * n.c, m.c * n.b + m.d * n.d)
    }

    public static func + (m: Matrix2x2, n: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(m.a + n.a, m.b + n.b, m.c + n.c, m.d + n.d)
    }

    public static func * (s: Double, m: Matrix2x2) -> Matrix2x2 {
        Matrix2x2(s * m.a, s * m.b, s * m.c, s * m.d)
    }

    /// The two eigenvalues λ = tr/2 ± √(tr²/4 − det), the one with the larger real part (or the
    /// positive imaginary part) first.
    ///
    /// The discriminant is formed as ((a − d)/2)² + bc, which is tr²/4 − det without the
    /// cancellation of two large terms; real pairs use λ₂ = det/λ₁ for the smaller one.
    public var eigenvalues: [Eigenvalue] {
        let half = (a - d) / 2
        let discriminant = half * half + b * c
        let mean = trace / 2
        if discriminant < 0 {
            let imaginary = (-discriminant).squareRoot()
            return [Eigenvalue(mean, imaginary), Eigenvalue(mean, -imaginary)]
        }
        let root = discriminant.squareRoot()
        let large = mean >= 0 ? mean + root : mean - root
        let small = large == 0 ? 0 : determinant / large
        return large >= small ? [Eigenvalue(large, 0), Eigenvalue(small, 0)] : [Eigenvalue(small, 0), Eigenvalue(large, 0)]
    }

    /// max |λ|: the factor by which the linear map x ↦ Mx eventually stretches iterates per step.
    public var spectralRadius: Double {
        eigenvalues.map(\.modulus).max() ?? 0
    }
}
