import ManifoldLabCore
/// G as the trainer runs it: a plain ``MLP``, or with virtual batch normalisation a
/// ``VirtualBatchNormNetwork`` whose reference latents are drawn once, from their own stream.
/// Both forms expose what the GAN step needs: a forward pass on latents, ∂/∂θ from the gradient D
/// leaves at its input, and parameters in ``parts`` (one optimiser and one historical average each).
///
/// The plain case calls the MLP directly, so it runs as fast as, and computes bit for bit what, an
/// MLP generator did before this type existed. Mutations switch on `consume self` and put the
/// network back, so its arrays stay uniquely referenced and are updated in place.
enum Generator<Scalar: BLASScalar> {
    case plain(MLP<Scalar>)
    case normalised(VirtualBatchNormNetwork<Scalar>)

    init(_ network: MLP<Scalar>) { self = .plain(network) }
    init(_ network: VirtualBatchNormNetwork<Scalar>) { self = .normalised(network) }

    /// `architecture` with weights from `seed`; with `referenceRows` = R, virtual batch
    /// normalisation against R reference latents drawn from `referenceSeed` by `latentDistribution`
    /// (the same weights as the plain network of the same seed).
    init(architecture: MLPArchitecture, seed: Seed, virtualBatchNorm referenceRows: Int?,
         latentDistribution: LatentDistribution, referenceSeed: Seed) {
        guard let referenceRows else {
            self.init(MLP(architecture: architecture, seed: seed))
            return
        }
        let rng = RandomStream(seed: referenceSeed)
        let k = architecture.inputSize
        let latents = (0..<(referenceRows * k)).map { _ in
            Scalar(latentDistribution == .uniform ? rng.uniform(-1, 1) : rng.gaussian())
        }
        self.init(VirtualBatchNormNetwork(architecture: architecture, seed: seed,
                                          reference: Matrix(rows: referenceRows, columns: k, storage: latents)))
    }

    var architecture: MLPArchitecture {
        switch self {
        case .plain(let network): network.architecture
        case .normalised(let network): network.architecture
        }
    }

    /// The network widened to Double, as `generator.json` saves it.
    var saved: SavedGenerator {
        switch self {
        case .plain(let network): .mlp(MLP<Double>(converting: network))
        case .normalised(let network): .virtualBatchNorm(VirtualBatchNormNetwork<Double>(converting: network))
        }
    }
    var latentSize: Int { architecture.inputSize }
    var outputSize: Int { architecture.outputSize }

    func makeTape() -> GeneratorTape<Scalar> {
        switch self {
        case .plain(let network): .plain(network.makeTape())
        case .normalised(let network): .normalised(network.makeTape())
        }
    }

    // MARK: Passes

    /// G at the rows of `latent`; the outputs are then ``output(_:)``.
    func forward(_ latent: Matrix<Scalar>, tape: GeneratorTape<Scalar>) {
        switch (self, tape) {
        case let (.plain(network), .plain(tape)): network.forward(latent, tape: tape)
        case let (.normalised(network), .normalised(tape)): network.forward(latent, tape: tape)
        default: preconditionFailure("a generator's tape comes from its own makeTape()")
        }
    }

    /// The outputs of the last forward pass (rows × D).
    func output(_ tape: GeneratorTape<Scalar>) -> UnsafeBufferPointer<Scalar> {
        switch tape {
        case .plain(let tape): tape.outputBuffer
        case .normalised(let tape): tape.outputBuffer
        }
    }

    /// Accumulates ∂L/∂θ of every part for ∂L/∂output = `outputGradient` (rows × D), e.g. the
    /// gradient D's backward pass left at its input.
    mutating func backward(outputGradient: UnsafeBufferPointer<Scalar>, tape: GeneratorTape<Scalar>) {
        switch (consume self, tape) {
        case (.plain(var network), .plain(let tape)):
            network.backward(outputGradient: outputGradient, tape: tape)
            self = .plain(network)
        case (.normalised(var network), .normalised(let tape)):
            network.backward(outputGradient: outputGradient, tape: tape)
            self = .normalised(network)
        default: preconditionFailure("a generator's tape comes from its own makeTape()")
        }
    }

    /// G at `latent`, as Double points: the plain MLP without a tape (``MLP/callAsFunction(_:)``),
    /// the VBN network through a temporary one. With virtual batch normalisation the examples are
    /// normalised against the fixed reference batch, so G(z) is a function of z alone.
    func generate(_ latent: Matrix<Scalar>) -> Matrix<Double> {
        let points: Matrix<Scalar>
        switch self {
        case .plain(let network): points = network(latent)
        case .normalised(let network): points = network(latent)
        }
        if let points = points as? Matrix<Double> { return points }
        return Matrix(rows: points.rows, columns: points.columns, storage: points.storage.map { Double($0) })
    }

    // MARK: Parameters

    /// Parts whose parameters each optimiser updates: the weights and biases, then (VBN) γ and β.
    var partCount: Int {
        switch self {
        case .plain: 1
        case .normalised: 2
        }
    }

    /// Calls `body` with each part's index, parameters and gradients, in place.
    mutating func updateParts(_ body: (Int, inout [Scalar], inout [Scalar]) -> Void) {
        switch consume self {
        case .plain(var network):
            body(0, &network.parameters, &network.gradients)
            self = .plain(network)
        case .normalised(var network):
            body(0, &network.parameters, &network.gradients)
            body(1, &network.scales, &network.scaleGradients)
            self = .normalised(network)
        }
    }

    mutating func zeroGradients() {
        switch consume self {
        case .plain(var network): network.zeroGradients(); self = .plain(network)
        case .normalised(var network): network.zeroGradients(); self = .normalised(network)
        }
    }

    /// The plain MLP's first layer set to `weights` and `biases` (vanish's affine generator); a VBN
    /// network is left alone.
    mutating func setFirstLayer(weights: Matrix<Scalar>, biases: [Scalar]) {
        switch consume self {
        case .plain(var network):
            network.setWeights(ofLayer: 0, to: weights)
            network.setBiases(ofLayer: 0, to: biases)
            self = .plain(network)
        case let other: self = other
        }
    }

    /// ‖∂L/∂θ‖₂ over every part.
    var gradientNorm: Scalar {
        switch self {
        case .plain(let network): return network.gradientNorm
        case .normalised(let network):
            var total: Scalar = 0
            for g in network.gradients { total += g * g }
            for g in network.scaleGradients { total += g * g }
            return total.squareRoot()
        }
    }

    var parametersAreFinite: Bool {
        switch self {
        case .plain(let network): network.parametersAreFinite
        case .normalised(let network): network.parametersAreFinite
        }
    }
}

/// The tape of one batch through a ``Generator`` (the one matching its form).
enum GeneratorTape<Scalar: BLASScalar> {
    case plain(MLPTape<Scalar>)
    case normalised(VirtualBatchNormTape<Scalar>)
}
