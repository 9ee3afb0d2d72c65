/// A multilayer perceptron whose weights and biases live in one flat array.
///
/// Layer k computes z = W_k a + b_k, then its activation; W_k is `outputs × inputs`, row-major, as
/// in PyTorch's `nn.Linear`. ``parameters`` holds every layer's W then b, in layer order (see
/// ``layers``), and ``gradients`` has the same layout: optimisers, weight clipping, NaN checks and
/// saving all work on one contiguous vector.
///
/// Passes run on a batch (one example per row) through an ``MLPTape`` that keeps what the backward
/// passes need:
/// - ``forward(_:tape:)`` — the outputs;
/// - ``backward(outputGradient:tape:inputGradient:)`` — accumulates ∂L/∂θ into ``gradients``,
///   optionally ∂L/∂x into the tape; ``backward(loss:tape:inputGradient:)`` does the same for a
///   ``LogitLoss`` of the outputs;
/// - ``backwardToInput(outputGradient:tape:)`` — ∂L/∂x only (the generator's gradient through D);
/// - ``inputGradient(at:tape:)`` — ∇ₓD(x) per row for a scalar-output network;
/// - ``accumulatePenaltyGradient(_:at:tape:)`` — the exact gradient of a penalty on ‖∇ₓD‖ with
///   respect to θ (double backward).
///
/// Gradients accumulate (as in PyTorch): call ``zeroGradients()`` before each optimiser step's
/// backward passes. The same code serves `MLP<Float>` and `MLP<Double>`.
public struct MLP<Scalar: BLASScalar>: Sendable {
    public let architecture: MLPArchitecture
    /// Where each layer's parameters sit in ``parameters`` and ``gradients``.
    public let layers: [LayerLayout]
    /// All weights and biases, layer by layer: W₀ (row-major), b₀, W₁, b₁, …
    public var parameters: [Scalar]
    /// ∂(loss)/∂``parameters``, accumulated by the backward passes since ``zeroGradients()``.
    public var gradients: [Scalar]

    /// A network with initial weights drawn from the stream seeded with `seed` (GSL mt19937): the
    /// same seed gives the same weights in Float and Double, up to rounding to Float.
    public init(architecture: MLPArchitecture, seed: Seed, initialisation: Initialisation = .pytorchDefault) {
        self.init(architecture: architecture, rng: RandomStream(seed: seed), initialisation: initialisation)
    }

    /// A network with initial weights drawn from `rng`: per layer, all weights (row-major) then all
    /// biases.
    public init(architecture: MLPArchitecture, rng: RandomStream, initialisation: Initialisation = .pytorchDefault) {
        let layout = architecture.layout
        var values = [Scalar](repeating: 0, count: architecture.parameterCount)
        for layer in layout {
            let fanIn = Double(layer.inputs), fanOut = Double(layer.outputs)
            switch initialisation {
            case .pytorchDefault:
                let bound = 1 / fanIn.squareRoot()
                for i in layer.weightRange { values[i] = Scalar(rng.uniform(-bound, bound)) }
                for i in layer.biasRange { values[i] = Scalar(rng.uniform(-bound, bound)) }
            case .glorotUniform:
                let bound = (6 / (fanIn + fanOut)).squareRoot()
                for i in layer.weightRange { values[i] = Scalar(rng.uniform(-bound, bound)) }
            case .heNormal:
                let sigma = (2 / fanIn).squareRoot()
                for i in layer.weightRange { values[i] = Scalar(rng.gaussian(sigma: sigma)) }
            }
        }
        self.init(architecture: architecture, parameters: values)
    }

    /// A network with the given parameters (layout as in ``parameters``).
    public init(architecture: MLPArchitecture, parameters: [Scalar]) {
        precondition(parameters.count == architecture.parameterCount,
                     "\(parameters.count) parameters given, \(architecture) has \(architecture.parameterCount)")
        self.architecture = architecture
        self.layers = architecture.layout
        self.parameters = parameters
        self.gradients = [Scalar](repeating: 0, count: parameters.count)
    }

    /// The same network in another precision (parameters rounded or widened).
    public init<Other: BLASScalar>(converting other: MLP<Other>) {
        self.init(architecture: other.architecture, parameters: other.parameters.map { Scalar($0) })
    }

    /// A tape sized for this architecture (buffers are allocated on the first pass).
    public func makeTape() -> MLPTape<Scalar> { MLPTape(architecture: architecture) }

    public var parameterCount: Int { parameters.count }

    // MARK: Per-layer views

    /// W_k as an `outputs × inputs` matrix (a copy).
    public func weights(ofLayer k: Int) -> Matrix<Scalar> {
        let layer = layers[k]
        return Matrix(rows: layer.outputs, columns: layer.inputs, storage: Array(parameters[layer.weightRange]))
    }

    /// b_k (a copy).
    public func biases(ofLayer k: Int) -> [Scalar] { Array(parameters[layers[k].biasRange]) }

    /// Replaces W_k.
    public mutating func setWeights(ofLayer k: Int, to weights: Matrix<Scalar>) {
        let layer = layers[k]
        precondition(weights.rows == layer.outputs && weights.columns == layer.inputs, "layer \(k) has \(layer.outputs)×\(layer.inputs) weights")
        parameters.replaceSubrange(layer.weightRange, with: weights.storage)
    }

    /// Replaces b_k.
    public mutating func setBiases(ofLayer k: Int, to biases: [Scalar]) {
        let layer = layers[k]
        precondition(biases.count == layer.outputs, "layer \(k) has \(layer.outputs) biases")
        parameters.replaceSubrange(layer.biasRange, with: biases)
    }

    // MARK: Whole-vector helpers

    /// Sets ``gradients`` to zero.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in
            for i in g.indices { g[i] = 0 }
        }
    }

    /// Clips every parameter (weights and biases) to [−c, c]: WGAN's Lipschitz constraint.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func clipParameters(to c: Scalar) {
        precondition(c > 0, "the clipping bound must be positive")
        parameters.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = min(max(p[i], -c), c) }
        }
    }

    /// True when no parameter is NaN or infinite.
    @inlinable public var parametersAreFinite: Bool { allFinite(parameters) }

    /// True when no gradient is NaN or infinite.
    @inlinable public var gradientsAreFinite: Bool { allFinite(gradients) }

    /// ‖∂L/∂θ‖₂ of the accumulated gradients.
    public var gradientNorm: Scalar {
        gradients.withUnsafeBufferPointer { g in
            Scalar.dot(count: g.count, x: g.baseAddress!, y: g.baseAddress!).squareRoot()
        }
    }

    /// ‖θ‖₂.
    public var parameterNorm: Scalar {
        parameters.withUnsafeBufferPointer { p in
            Scalar.dot(count: p.count, x: p.baseAddress!, y: p.baseAddress!).squareRoot()
        }
    }
}

// MARK: Saving

extension MLP: Codable {
    private enum CodingKeys: String, CodingKey { case architecture, parameters }

    /// Decodes the architecture and the flat parameter vector (gradients start at zero).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let architecture = try container.decode(MLPArchitecture.self, forKey: .architecture)
        let parameters = try container.decode([Scalar].self, forKey: .parameters)
        guard parameters.count == architecture.parameterCount else {
            throw DecodingError.dataCorruptedError(forKey: .parameters, in: container,
                debugDescription: "\(parameters.count) parameters for \(architecture), which has \(architecture.parameterCount)")
        }
        self.init(architecture: architecture, parameters: parameters)
    }

    /// Encodes the architecture and the flat parameter vector (not the gradients).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(parameters, forKey: .parameters)
    }
}
