import RealModule

/// An elementwise nonlinearity σ, with the first and second derivatives that the backward and
/// double-backward passes need.
///
/// Derivatives are taken from the activation `a = σ(z)` wherever it determines them:
/// tanh′ = 1 − a², sigmoid′ = a(1 − a), relu′ = [z > 0] = [a > 0] (also for LeakyReLU with a slope
/// ≥ 0, for every z including ±0, ±∞ and NaN), so a network of these activations need not keep
/// its pre-activations for the backward pass (``derivativeFromActivation``).
/// ReLU and LeakyReLU have σ″ = 0 away from the kink (at z = 0 the derivative is taken as the left
/// one, as PyTorch does), so the double backward pass of a piecewise-linear network skips the
/// second-order term.
public enum Activation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// σ(z) = z: logits of a discriminator, the value of a critic, a generator's raw output.
    case identity
    /// σ(z) = max(z, 0).
    case relu
    /// σ(z) = z for z > 0, `slope`·z otherwise (PyTorch's default slope is 0.01; DCGAN uses 0.2).
    case leakyRelu(slope: Double)
    /// σ(z) = tanh z.
    case tanh
    /// σ(z) = 1 / (1 + e^(−z)), computed without overflow for any z.
    case sigmoid

    public var description: String {
        switch self {
        case .identity: "identity"
        case .relu: "relu"
        case .leakyRelu(let slope): "leaky-relu(\(slope))"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        }
    }

    /// True when σ″ = 0 wherever it exists: the double backward pass has no curvature term.
    public var isPiecewiseLinear: Bool {
        switch self {
        case .identity, .relu, .leakyRelu: true
        case .tanh, .sigmoid: false
        }
    }

    /// True when σ′(z) is a function of a = σ(z) alone, so the backward passes read only the
    /// activations: every case but a LeakyReLU with a negative slope (where a > 0 for z < 0).
    public var derivativeFromActivation: Bool {
        if case .leakyRelu(let slope) = self { return slope >= 0 }
        return true
    }

    /// σ(z) for one scalar (the batched kernels below are what the network uses).
    @inlinable public func callAsFunction<Scalar: BLASScalar>(_ z: Scalar) -> Scalar {
        switch self {
        case .identity: z
        case .relu: z > 0 ? z : 0
        case .leakyRelu(let slope): z > 0 ? z : Scalar(slope) * z
        case .tanh: Scalar.tanh(z)
        case .sigmoid: Logistic.sigmoid(z)
        }
    }
}

// MARK: - Batched kernels

extension Activation {
    /// z ← z + 1 bᵀ and a ← σ(z) for a `rows × columns` block: the bias and the activation in one
    /// sweep over memory, after the layer's gemm.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func addBiasAndApply<Scalar: BLASScalar>(_ z: UnsafeMutablePointer<Scalar>, bias: UnsafePointer<Scalar>,
                                             _ a: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        switch self {
        case .identity:
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                for j in 0..<columns { let v = zr[j] + bias[j]; zr[j] = v; ar[j] = v }
            }
        case .relu:
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                for j in 0..<columns { let v = zr[j] + bias[j]; zr[j] = v; ar[j] = v > 0 ? v : 0 }
            }
        case .leakyRelu(let slope):
            let s = Scalar(slope)
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                for j in 0..<columns { let v = zr[j] + bias[j]; zr[j] = v; ar[j] = v > 0 ? v : s * v }
            }
        case .tanh:
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                for j in 0..<columns { let v = zr[j] + bias[j]; zr[j] = v; ar[j] = Scalar.tanh(v) }
            }
        case .sigmoid:
            for r in 0..<rows {
                let zr = z + r * columns, ar = a + r * columns
                for j in 0..<columns { let v = zr[j] + bias[j]; zr[j] = v; ar[j] = Logistic.sigmoid(v) }
            }
        }
    }

    /// a ← σ(a + 1 bᵀ) in place for a `rows × columns` block: ``addBiasAndApply(_:bias:_:rows:columns:)``
    /// for a layer that keeps no pre-activations (``derivativeFromActivation``), the same values.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func addBiasAndApply<Scalar: BLASScalar>(inPlace a: UnsafeMutablePointer<Scalar>, bias: UnsafePointer<Scalar>,
                                             rows: Int, columns: Int) {
        switch self {
        case .identity:
            for r in 0..<rows {
                let ar = a + r * columns
                for j in 0..<columns { ar[j] = ar[j] + bias[j] }
            }
        // Branch-free forms, so that the loops vectorise (a select stored back in place compiles
        // to a branch): maximum(v, 0) is v > 0 ? v : 0 for every v a sum can produce (−0 and NaN
        // give +0; only a signalling NaN, which arithmetic never returns, would differ), and
        // v · (v > 0 ? 1 : s) is v > 0 ? v : s·v, ±∞ and NaN included.
        case .relu:
            for r in 0..<rows {
                let ar = a + r * columns
                for j in 0..<columns { ar[j] = Scalar.maximum(ar[j] + bias[j], 0) }
            }
        case .leakyRelu(let slope):
            let s = Scalar(slope)
            for r in 0..<rows {
                let ar = a + r * columns
                for j in 0..<columns { let v = ar[j] + bias[j]; let factor: Scalar = v > 0 ? 1 : s; ar[j] = v * factor }
            }
        case .tanh:
            for r in 0..<rows {
                let ar = a + r * columns
                for j in 0..<columns { ar[j] = Scalar.tanh(ar[j] + bias[j]) }
            }
        case .sigmoid:
            for r in 0..<rows {
                let ar = a + r * columns
                for j in 0..<columns { ar[j] = Logistic.sigmoid(ar[j] + bias[j]) }
            }
        }
    }

    /// g[i] ← g[i] · σ′(z[i]), from the activations `a` — and the pre-activations `z`, which
    /// only a LeakyReLU with a negative slope reads (nil is allowed otherwise).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func multiplyByDerivative<Scalar: BLASScalar>(_ g: UnsafeMutablePointer<Scalar>, z: UnsafePointer<Scalar>?,
                                                  a: UnsafePointer<Scalar>, count: Int) {
        switch self {
        case .identity:
            return
        case .relu:
            // A multiplicative mask (not a select of g) so that the loop vectorises.
            for i in 0..<count { let mask: Scalar = a[i] > 0 ? 1 : 0; g[i] *= mask }
        case .leakyRelu(let slope):
            let s = Scalar(slope)
            if slope >= 0 {
                for i in 0..<count { let factor: Scalar = a[i] > 0 ? 1 : s; g[i] *= factor }
            } else {
                guard let z else { preconditionFailure("a LeakyReLU with a negative slope needs its pre-activations") }
                for i in 0..<count { let factor: Scalar = z[i] > 0 ? 1 : s; g[i] *= factor }
            }
        case .tanh:
            for i in 0..<count { let t = a[i]; g[i] *= 1 - t * t }
        case .sigmoid:
            for i in 0..<count { let p = a[i]; g[i] *= p * (1 - p) }
        }
    }

    /// out[i] = g[i] · σ′(z[i]) (out may not alias g).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func derivativeProduct<Scalar: BLASScalar>(_ g: UnsafePointer<Scalar>, z: UnsafePointer<Scalar>?,
                                               a: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>,
                                               count: Int) {
        out.update(from: g, count: count)
        multiplyByDerivative(out, z: z, a: a, count: count)
    }

    /// out[i] = g[i] · h[i] · σ″(z[i]) (h = 1 when nil) for the smooth activations; zero for the
    /// piecewise-linear ones. tanh″ = −2a(1 − a²), sigmoid″ = a(1 − a)(1 − 2a).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func secondDerivativeProduct<Scalar: BLASScalar>(_ g: UnsafePointer<Scalar>, _ h: UnsafePointer<Scalar>?,
                                                     a: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>,
                                                     count: Int) {
        switch self {
        case .identity, .relu, .leakyRelu:
            for i in 0..<count { out[i] = 0 }
        case .tanh:
            for i in 0..<count { let t = a[i]; out[i] = g[i] * (-2 * t * (1 - t * t)) }
        case .sigmoid:
            for i in 0..<count { let q = a[i]; out[i] = g[i] * (q * (1 - q) * (1 - 2 * q)) }
        }
        if let h { for i in 0..<count { out[i] *= h[i] } }
    }
}
