import ManifoldLabCore
/// D as the trainer runs it: an MLP with one logit or, with minibatch discrimination, an MLP
/// trunk ending at D's last hidden layer f, the ``MinibatchDiscrimination`` layer o, and a linear
/// head on [f, o]. Both forms expose what the GAN step needs: logits, ∂/∂θ of a logit loss,
/// ∂/∂x of a logit loss or of a loss on the features f (feature matching).
///
/// Its parameters come in ``parts`` (one optimiser and one historical average each).
struct Discriminator<Scalar: BLASScalar> {
    /// The whole network, or the trunk up to the features when ``minibatch`` is set.
    var trunk: MLP<Scalar>
    /// With minibatch discrimination: the layer o and the head [f, o] → logit after the trunk.
    var minibatch: MinibatchHead<Scalar>?

    /// What follows D's trunk under minibatch discrimination: the layer and the linear head.
    struct MinibatchHead<S: BLASScalar> {
        var layer: MinibatchDiscrimination<S>
        /// [f, o] → logit.
        var head: MLP<S>
    }

    /// `architecture` is D's full MLP (input → hidden layers → 1); `minibatch` = (B, C) splits it
    /// after its last hidden layer and inserts the minibatch layer there.
    init(architecture: MLPArchitecture, minibatch shape: (kernels: Int, dimension: Int)?, seed: Seed) {
        guard let shape else {
            trunk = MLP(architecture: architecture, seed: seed)
            return
        }
        precondition(architecture.layerCount >= 2, "minibatch discrimination needs a hidden layer")
        let sizes = architecture.layerSizes
        let features = sizes[sizes.count - 2]
        trunk = MLP(architecture: MLPArchitecture(layerSizes: Array(sizes.dropLast()), hidden: architecture.hidden,
                                                  output: architecture.hidden), seed: seed)
        minibatch = MinibatchHead(
            layer: MinibatchDiscrimination(features: features, kernels: shape.kernels, kernelDimension: shape.dimension,
                                           rng: RandomStream(seed: seed.child(.minibatch))),
            head: MLP(architecture: MLPArchitecture(layerSizes: [features + shape.kernels, 1]), seed: seed.child(.head)))
    }

    /// The trunk layer whose activations are D's features (its last hidden layer).
    var featureLayer: Int { minibatch == nil ? trunk.layers.count - 2 : trunk.layers.count - 1 }
    var featureWidth: Int { trunk.layers[featureLayer].outputs }
    var inputSize: Int { trunk.architecture.inputSize }

    func makeTape() -> DiscriminatorTape<Scalar> {
        DiscriminatorTape(trunk: trunk.makeTape(), minibatch: minibatch.map { (layer: MinibatchTape(), head: $0.head.makeTape()) })
    }

    // MARK: Forward

    /// Runs the batch (rows × D, row-major) through D.
    func forward(_ input: UnsafeBufferPointer<Scalar>, tape: DiscriminatorTape<Scalar>) {
        trunk.forward(input, tape: tape.trunk)
        guard let minibatch, let tapes = tape.minibatch else { return }
        let f = tape.trunk.outputBuffer, layer = minibatch.layer, mbTape = tapes.layer
        layer.forward(f, tape: mbTape)
        let rows = tape.trunk.rows, a = layer.features, b = layer.kernels
        tape.headInput.reshape(rows: rows, columns: a + b)
        let o = mbTape.outputBuffer
        tape.headInput.storage.withUnsafeMutableBufferPointer { h in
            for r in 0..<rows {
                for j in 0..<a { h[r * (a + b) + j] = f[r * a + j] }
                for j in 0..<b { h[r * (a + b) + a + j] = o[r * b + j] }
            }
        }
        minibatch.head.forward(tape.headInput, tape: tapes.head)
    }

    func forward(_ input: Matrix<Scalar>, tape: DiscriminatorTape<Scalar>) {
        input.storage.withUnsafeBufferPointer { forward($0, tape: tape) }
    }

    /// The logits of the last forward pass.
    func logits(_ tape: DiscriminatorTape<Scalar>) -> UnsafeBufferPointer<Scalar> {
        tape.minibatch?.head.outputBuffer ?? tape.trunk.outputBuffer
    }

    /// D's features f (rows × ``featureWidth``) of the last forward pass.
    func features(_ tape: DiscriminatorTape<Scalar>) -> UnsafeBufferPointer<Scalar> {
        tape.trunk.activationBuffer(ofLayer: featureLayer)
    }

    /// ∂/∂x of the last backward pass that computed it (rows × D).
    func inputGradient(_ tape: DiscriminatorTape<Scalar>) -> UnsafeBufferPointer<Scalar> {
        tape.trunk.inputGradientBuffer
    }

    // MARK: Backward

    /// Mean of `loss` over the logits; accumulates ∂/∂θ (times `weight`) into every part's gradients.
    @discardableResult
    mutating func backward(loss: LogitLoss, weight: Scalar = 1, tape: DiscriminatorTape<Scalar>) -> Scalar {
        guard minibatch != nil else { return trunk.backward(loss: loss, weight: weight, tape: tape.trunk) }
        let value = seedLogitGradient(loss, weight: weight, tape)
        backwardComposite(tape, accumulate: true)
        return value
    }

    /// Mean of `loss` over the logits; writes ∂/∂x to the tape and leaves the gradients alone.
    @discardableResult
    mutating func backwardToInput(loss: LogitLoss, tape: DiscriminatorTape<Scalar>) -> Scalar {
        guard minibatch != nil else { return trunk.backwardToInput(loss: loss, tape: tape.trunk) }
        let value = seedLogitGradient(loss, weight: 1, tape)
        backwardComposite(tape, accumulate: false)
        return value
    }

    /// ∂/∂x for ∂L/∂f = `featureGradient` (rows × ``featureWidth``), gradients left alone.
    func backwardToInput(featureGradient: UnsafeBufferPointer<Scalar>, tape: DiscriminatorTape<Scalar>) {
        trunk.backwardToInput(fromLayer: featureLayer, activationGradient: featureGradient, tape: tape.trunk)
    }

    private func seedLogitGradient(_ loss: LogitLoss, weight: Scalar, _ tape: DiscriminatorTape<Scalar>) -> Scalar {
        let logits = self.logits(tape)
        if tape.logitGradient.count != logits.count { tape.logitGradient = [Scalar](repeating: 0, count: logits.count) }
        return tape.logitGradient.withUnsafeMutableBufferPointer { g in
            loss.evaluate(logits: logits, gradient: g.baseAddress!, scale: weight)
        }
    }

    /// Head → minibatch layer → trunk, from the logit gradient on the tape: ∂L/∂f is the head's
    /// gradient at f plus the minibatch layer's. The layer and head are taken out while they
    /// accumulate gradients, so their arrays are updated in place.
    private mutating func backwardComposite(_ tape: DiscriminatorTape<Scalar>, accumulate: Bool) {
        guard var taken = minibatch, let tapes = tape.minibatch else { return }
        minibatch = nil
        defer { minibatch = taken }
        let mbTape = tapes.layer, headTape = tapes.head
        tape.logitGradient.withUnsafeBufferPointer { upstream in
            if accumulate {
                taken.head.backward(outputGradient: upstream, tape: headTape, inputGradient: true)
            } else {
                taken.head.backwardToInput(outputGradient: upstream, tape: headTape)
            }
        }
        let rows = headTape.rows, a = taken.layer.features, b = taken.layer.kernels
        let h = headTape.inputGradientBuffer
        if tape.scratch.count != rows * b { tape.scratch = [Scalar](repeating: 0, count: rows * b) }
        for r in 0..<rows { for j in 0..<b { tape.scratch[r * b + j] = h[r * (a + b) + a + j] } }
        tape.scratch.withUnsafeBufferPointer { taken.layer.backward(outputGradient: $0, tape: mbTape, accumulate: accumulate) }
        tape.featureGradient.reshape(rows: rows, columns: a)
        let fromLayer = mbTape.inputGradientBuffer
        tape.featureGradient.storage.withUnsafeMutableBufferPointer { f in
            for r in 0..<rows { for j in 0..<a { f[r * a + j] = h[r * (a + b) + j] + fromLayer[r * a + j] } }
        }
        tape.featureGradient.storage.withUnsafeBufferPointer { upstream in
            if accumulate {
                trunk.backward(outputGradient: upstream, tape: tape.trunk, inputGradient: false)
            } else {
                trunk.backwardToInput(outputGradient: upstream, tape: tape.trunk)
            }
        }
    }

    /// Mean over the rows x_r of the last forward pass on `tape` of ‖∂(Σ_s D(x_s))/∂x_r‖:
    /// ‖∇ₓD(x_r)‖ for a plain MLP; with the minibatch layer it also counts x_r's effect on the other
    /// examples' outputs. A first-order backward pass on the batch's own tape (overwriting its
    /// input gradient), not a new forward pass.
    mutating func meanInputGradientNorm(tape: DiscriminatorTape<Scalar>) -> Double {
        let count = tape.trunk.rows, rows = Double(count)
        guard minibatch != nil else {
            trunk.inputGradient(tape: tape.trunk)
            return tape.trunk.inputGradientNormsBuffer.reduce(0) { $0 + Double($1) } / rows
        }
        backwardToInput(loss: .linear(weight: rows), tape: tape) // ∂/∂logit = 1 for every row
        let g = inputGradient(tape), d = inputSize
        var sum = 0.0
        for r in 0..<count {
            var s = 0.0
            for j in 0..<d { s += Double(g[r * d + j]) * Double(g[r * d + j]) }
            sum += s.squareRoot()
        }
        return sum / rows
    }

    // MARK: Parameters

    /// Parts whose parameters each optimiser updates: trunk, then minibatch tensor and head.
    var partCount: Int { minibatch == nil ? 1 : 3 }

    /// Calls `body` with each part's index, parameters and gradients (as ``Generator/updateParts(_:)``).
    /// The optional parts are taken out while `body` runs, so updating them copies no array.
    mutating func updateParts(_ body: (Int, inout [Scalar], inout [Scalar]) -> Void) {
        body(0, &trunk.parameters, &trunk.gradients)
        if var taken = minibatch {
            minibatch = nil
            body(1, &taken.layer.parameters, &taken.layer.gradients)
            body(2, &taken.head.parameters, &taken.head.gradients)
            minibatch = taken
        }
    }

    mutating func zeroGradients() {
        trunk.zeroGradients()
        minibatch?.layer.zeroGradients()
        minibatch?.head.zeroGradients()
    }

    mutating func clipParameters(to c: Scalar) {
        trunk.clipParameters(to: c)
        minibatch?.head.clipParameters(to: c)
        if minibatch != nil {
            for i in minibatch!.layer.parameters.indices { minibatch!.layer.parameters[i] = min(max(minibatch!.layer.parameters[i], -c), c) }
        }
    }

    var parametersAreFinite: Bool {
        trunk.parametersAreFinite && (minibatch?.head.parametersAreFinite ?? true)
            && (minibatch.map { allFinite($0.layer.parameters) } ?? true)
    }
}

/// The tapes of one batch through a ``Discriminator``.
final class DiscriminatorTape<Scalar: BLASScalar> {
    let trunk: MLPTape<Scalar>
    /// With minibatch discrimination: the layer's tape and the head's.
    let minibatch: (layer: MinibatchTape<Scalar>, head: MLPTape<Scalar>)?
    var headInput = Matrix<Scalar>(rows: 0, columns: 0)
    var featureGradient = Matrix<Scalar>(rows: 0, columns: 0)
    var logitGradient: [Scalar] = []
    var scratch: [Scalar] = []

    init(trunk: MLPTape<Scalar>, minibatch: (layer: MinibatchTape<Scalar>, head: MLPTape<Scalar>)?) {
        self.trunk = trunk
        self.minibatch = minibatch
    }
}

extension Matrix {
    /// Makes the matrix rows × columns, keeping its storage when the shape is unchanged (contents
    /// are then stale; callers overwrite them).
    mutating func reshape(rows: Int, columns: Int) {
        if self.rows != rows || self.columns != columns { self = Matrix(rows: rows, columns: columns) }
    }
}
