import RealModule

/// A first-order optimiser: value types holding their own state (moment estimates, step count),
/// updating a flat parameter vector in place from the matching gradient vector.
///
/// Hyperparameters and update rules follow PyTorch's `torch.optim` (no weight decay), so runs
/// compare with the PyTorch reference step for step. State is allocated on the first step and
/// reused; an optimiser belongs to one parameter vector.
public protocol Optimizer<Scalar>: Sendable {
    associatedtype Scalar: BLASScalar
    /// θ ← update(θ, g).
    mutating func step(parameters: inout [Scalar], gradients: [Scalar])
}

extension Optimizer {
    /// One step on the network's parameters from its accumulated gradients.
    public mutating func step(_ network: inout MLP<Scalar>) {
        step(parameters: &network.parameters, gradients: network.gradients)
    }
}

/// Stochastic gradient descent, optionally with (heavy-ball) momentum as in `torch.optim.SGD`:
/// v ← μ v + g (v = g on the first step), θ ← θ − lr·v.
public struct SGD<Scalar: BLASScalar>: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    private var velocity: [Scalar] = []

    public init(learningRate: Double, momentum: Double = 0) {
        precondition(learningRate > 0 && momentum >= 0 && momentum < 1, "SGD needs lr > 0 and 0 ≤ momentum < 1")
        self.learningRate = learningRate
        self.momentum = momentum
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func step(parameters: inout [Scalar], gradients: [Scalar]) {
        precondition(parameters.count == gradients.count, "parameters and gradients differ in length")
        let lr = Scalar(learningRate), mu = Scalar(momentum)
        if momentum == 0 {
            parameters.withUnsafeMutableBufferPointer { p in
                gradients.withUnsafeBufferPointer { g in Scalar.axpy(count: p.count, alpha: -lr, x: g.baseAddress!, y: p.baseAddress!) }
            }
            return
        }
        let first = velocity.isEmpty
        if first { velocity = gradients }
        velocity.withUnsafeMutableBufferPointer { v in
            parameters.withUnsafeMutableBufferPointer { p in
                gradients.withUnsafeBufferPointer { g in
                    for i in p.indices {
                        if !first { v[i] = mu * v[i] + g[i] }
                        p[i] -= lr * v[i]
                    }
                }
            }
        }
    }
}

/// RMSProp as in `torch.optim.RMSprop` (not centred, no momentum):
/// s ← α s + (1 − α) g², θ ← θ − lr · g / (√s + ε). PyTorch defaults: α = 0.99, ε = 1e−8.
/// WGAN (Arjovsky et al. 2017) uses lr = 5e−5.
public struct RMSProp<Scalar: BLASScalar>: Optimizer {
    public var learningRate: Double
    public var alpha: Double
    public var epsilon: Double
    private var meanSquare: [Scalar] = []

    public init(learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8) {
        precondition(learningRate > 0 && alpha >= 0 && alpha < 1 && epsilon > 0, "RMSProp needs lr > 0, 0 ≤ α < 1, ε > 0")
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func step(parameters: inout [Scalar], gradients: [Scalar]) {
        precondition(parameters.count == gradients.count, "parameters and gradients differ in length")
        if meanSquare.count != parameters.count { meanSquare = [Scalar](repeating: 0, count: parameters.count) }
        let lr = Scalar(learningRate), a = Scalar(alpha), eps = Scalar(epsilon)
        meanSquare.withUnsafeMutableBufferPointer { s in
            parameters.withUnsafeMutableBufferPointer { p in
                gradients.withUnsafeBufferPointer { g in
                    for i in p.indices {
                        let gi = g[i]
                        s[i] = a * s[i] + (1 - a) * gi * gi
                        p[i] -= lr * gi / (s[i].squareRoot() + eps)
                    }
                }
            }
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction, exactly as `torch.optim.Adam`:
///
///     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
///     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
///
/// PyTorch defaults lr = 1e−3, β = (0.9, 0.999), ε = 1e−8; GAN practice (DCGAN, WGAN-GP) uses
/// β₁ = 0.5. On the first step each parameter moves by lr · sign(g) (for |g| ≫ ε).
public struct Adam<Scalar: BLASScalar>: Optimizer {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var m: [Scalar] = []
    private var v: [Scalar] = []

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        precondition(learningRate > 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0,
                     "Adam needs lr > 0, 0 ≤ β₁, β₂ < 1 and ε > 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func step(parameters: inout [Scalar], gradients: [Scalar]) {
        precondition(parameters.count == gradients.count, "parameters and gradients differ in length")
        if m.count != parameters.count {
            m = [Scalar](repeating: 0, count: parameters.count)
            v = m
            stepCount = 0
        }
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = 1 - Double.pow(beta1, t), correction2 = 1 - Double.pow(beta2, t)
        let stepSize = Scalar(learningRate / correction1)
        let inverseRootCorrection2 = Scalar(1 / correction2.squareRoot())
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon)
        m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { p in
                    gradients.withUnsafeBufferPointer { g in
                        // Three loops, each writing one array, so that each vectorises.
                        for i in p.indices { m[i] = b1 * m[i] + (1 - b1) * g[i] }
                        for i in p.indices { let gi = g[i]; v[i] = b2 * v[i] + (1 - b2) * gi * gi }
                        for i in p.indices { p[i] -= stepSize * m[i] / (v[i].squareRoot() * inverseRootCorrection2 + eps) }
                    }
                }
            }
        }
    }
}
