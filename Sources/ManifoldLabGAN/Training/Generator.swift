import ManifoldLabCore
/// G as the trainer runs it: a plain ``MLP``, or with virtual batch normalisation a
/// ``VirtualBatchNormNetwork`` whose reference latents are drawn once, from their own stream.
/// Both forms expose what the GAN step needs: a forward pass on latents, ∂/∂θ from the gradient D
/// leaves at its input, and parameters in ``parts`` (one optimiser and one historical average each).
///
/// Exactly one of ``plain`` and ``normalised`` is set. The plain path calls the MLP directly, so it
/// runs as fast as, and computes bit for bit what, an MLP generator did before this type existed.
struct Generator<Scalar: BLASScalar> {
    var plain: MLP<Scalar>?
    var normalised: VirtualBatchNormNetwork<Scalar>?

    init(_ network: MLP<Scalar>) { plain = network }
    init(_ network: VirtualBatchNormNetwork<Scalar>) { normalised = network }

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

    var architecture: MLPArchitecture { plain?.architecture ?? normalised!.architecture }

    /// The network widened to Double, as `generator.json` saves it.
    var saved: SavedGenerator {
        if let plain { return .mlp(MLP<Double>(converting: plain)) }
        return .virtualBatchNorm(VirtualBatchNormNetwork<Double>(converting: normalised!))
    }
    var latentSize: Int { architecture.inputSize }
    var outputSize: Int { architecture.outputSize }

    func makeTape() -> GeneratorTape<Scalar> {
        GeneratorTape(plain: plain?.makeTape(), normalised: normalised?.makeTape())
    }

    // MARK: Passes

    /// G at the rows of `latent`; the outputs are then ``output(_:)``.
    func forward(_ latent: Matrix<Scalar>, tape: GeneratorTape<Scalar>) {
        if let plain { plain.forward(latent, tape: tape.plain!) } else { normalised!.forward(latent, tape: tape.normalised!) }
    }

    /// The outputs of the last forward pass (rows × D).
    func output(_ tape: GeneratorTape<Scalar>) -> UnsafeBufferPointer<Scalar> {
        tape.plain?.outputBuffer ?? tape.normalised!.outputBuffer
    }

    /// Accumulates ∂L/∂θ of every part for ∂L/∂output = `outputGradient` (rows × D), e.g. the
    /// gradient D's backward pass left at its input.
    mutating func backward(outputGradient: UnsafeBufferPointer<Scalar>, tape: GeneratorTape<Scalar>) {
        if plain != nil {
            plain!.backward(outputGradient: outputGradient, tape: tape.plain!)
        } else {
            normalised!.backward(outputGradient: outputGradient, tape: tape.normalised!)
        }
    }

    /// G at `latent`, as Double points: the plain MLP without a tape (``MLP/callAsFunction(_:)``),
    /// the VBN network through a temporary one. With virtual batch normalisation the examples are
    /// normalised against the fixed reference batch, so G(z) is a function of z alone.
    func generate(_ latent: Matrix<Scalar>) -> Matrix<Double> {
        let points = plain.map { $0(latent) } ?? normalised!(latent)
        if let points = points as? Matrix<Double> { return points }
        return Matrix(rows: points.rows, columns: points.columns, storage: points.storage.map { Double($0) })
    }

    // MARK: Parameters

    /// Parts whose parameters each optimiser updates: the weights and biases, then (VBN) γ and β.
    var partCount: Int { plain != nil ? 1 : 2 }

    /// Calls `body` with each part's index, parameters and gradients (moved out and back, so the
    /// arrays stay uniquely referenced and are updated in place).
    mutating func updateParts(_ body: (Int, inout [Scalar], inout [Scalar]) -> Void) {
        if var network = plain {
            plain = nil
            body(0, &network.parameters, &network.gradients)
            plain = network
        } else if var network = normalised {
            normalised = nil
            body(0, &network.parameters, &network.gradients)
            body(1, &network.scales, &network.scaleGradients)
            normalised = network
        }
    }

    mutating func zeroGradients() {
        if plain != nil { plain!.zeroGradients() } else { normalised!.zeroGradients() }
    }

    /// ‖∂L/∂θ‖₂ over every part.
    var gradientNorm: Scalar {
        if let plain { return plain.gradientNorm }
        let n = normalised!
        var total: Scalar = 0
        for g in n.gradients { total += g * g }
        for g in n.scaleGradients { total += g * g }
        return total.squareRoot()
    }

    var parametersAreFinite: Bool { plain?.parametersAreFinite ?? normalised!.parametersAreFinite }
}

/// The tape of one batch through a ``Generator`` (the one matching its form).
final class GeneratorTape<Scalar: BLASScalar> {
    let plain: MLPTape<Scalar>?
    let normalised: VirtualBatchNormTape<Scalar>?

    init(plain: MLPTape<Scalar>?, normalised: VirtualBatchNormTape<Scalar>?) {
        self.plain = plain
        self.normalised = normalised
    }
}
