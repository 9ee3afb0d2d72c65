extension MLP {
    private var passes: MLPPasses { MLPPasses(architecture) }

    // MARK: Forward

    /// Runs the batch `input` (rows × in) through the network, keeping what the backward passes
    /// need on `tape`; the outputs are then ``MLPTape/output`` (or ``MLPTape/outputBuffer``).
    public func forward(_ input: Matrix<Scalar>, tape: MLPTape<Scalar>) {
        precondition(input.columns == architecture.inputSize,
                     "input has \(input.columns) columns, the network takes \(architecture.inputSize)")
        input.storage.withUnsafeBufferPointer { forward($0, tape: tape) }
    }

    /// Runs the row-major batch `input` (count a multiple of the input size) through the network;
    /// e.g. `discriminator.forward(generatorTape.outputBuffer, tape: …)`. The input is copied.
    public func forward(_ input: UnsafeBufferPointer<Scalar>, tape: MLPTape<Scalar>) {
        let n = architecture.inputSize
        precondition(input.count > 0 && input.count % n == 0, "input of \(input.count) scalars is not rows of \(n)")
        precondition(tape.architecture == architecture, "the tape belongs to another architecture")
        tape.prepare(rows: input.count / n)
        tape.input.update(from: input.baseAddress!, count: input.count)
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in passes.forward(p.baseAddress!, tape) }
    }

    /// The outputs for `input` (for evaluation, not for training loops): the same products and
    /// activations as ``forward(_:tape:)``, value for value, without a tape — only two scratch
    /// blocks of rows × (widest layer) live during the call, so evaluating many points (a
    /// quadrature grid, an evaluation batch) costs a fraction of a tape's memory.
    public func callAsFunction(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(input.columns == architecture.inputSize,
                     "input has \(input.columns) columns, the network takes \(architecture.inputSize)")
        var result = Matrix<Scalar>(rows: input.rows, columns: architecture.outputSize)
        guard input.rows > 0 else { return result }
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in
            input.storage.withUnsafeBufferPointer { x in
                result.storage.withUnsafeMutableBufferPointer { out in
                    passes.outputs(p.baseAddress!, input: x.baseAddress!, rows: input.rows, into: out.baseAddress!)
                }
            }
        }
        return result
    }

    // MARK: Backward

    /// Accumulates ∂L/∂θ into ``gradients`` for ∂L/∂output = `outputGradient` (rows × out) of the
    /// last forward pass on `tape`; with `inputGradient`, also writes ∂L/∂x to the tape.
    public mutating func backward(outputGradient: Matrix<Scalar>, tape: MLPTape<Scalar>, inputGradient: Bool = false) {
        precondition(outputGradient.rows == tape.rows && outputGradient.columns == architecture.outputSize,
                     "output gradient is \(outputGradient.rows)×\(outputGradient.columns), the output \(tape.rows)×\(architecture.outputSize)")
        outputGradient.storage.withUnsafeBufferPointer { backward(outputGradient: $0, tape: tape, inputGradient: inputGradient) }
    }

    /// As ``backward(outputGradient:tape:inputGradient:)``, from a row-major buffer.
    public mutating func backward(outputGradient: UnsafeBufferPointer<Scalar>, tape: MLPTape<Scalar>,
                                  inputGradient: Bool = false) {
        checkTape(tape, upstream: outputGradient.count)
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                passes.backward(p.baseAddress!, g.baseAddress!, upstream: outputGradient.baseAddress!,
                                inputGradient: inputGradient, tape)
            }
        }
    }

    /// Backpropagates the gradient that a downstream network left at its input: for a generator G
    /// feeding D, `G.backward(fromInputOf: dTape, tape: gTape)` after
    /// `D.backwardToInput(loss:tape: dTape)`.
    public mutating func backward(fromInputOf downstream: MLPTape<Scalar>, tape: MLPTape<Scalar>) {
        backward(outputGradient: downstream.inputGradientBuffer, tape: tape)
    }

    /// ∂L/∂x only, into the tape's ``MLPTape/inputGradient``; ``gradients`` are left alone (the
    /// discriminator's part of a generator step).
    public func backwardToInput(outputGradient: UnsafeBufferPointer<Scalar>, tape: MLPTape<Scalar>) {
        checkTape(tape, upstream: outputGradient.count)
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in
            passes.backward(p.baseAddress!, nil, upstream: outputGradient.baseAddress!, inputGradient: true, tape)
        }
    }

    /// As ``backwardToInput(outputGradient:tape:)`` for a matrix.
    public func backwardToInput(outputGradient: Matrix<Scalar>, tape: MLPTape<Scalar>) {
        outputGradient.storage.withUnsafeBufferPointer { backwardToInput(outputGradient: $0, tape: tape) }
    }

    /// Evaluates `loss` (mean over all outputs) on the last forward pass's outputs and accumulates
    /// its gradient, times `weight`, into ``gradients``. Returns the loss (without `weight`).
    @discardableResult
    public mutating func backward(loss: LogitLoss, weight: Scalar = 1, tape: MLPTape<Scalar>,
                                  inputGradient: Bool = false) -> Scalar {
        let value = loss.evaluate(logits: tape.outputBuffer, gradient: tape.outputGradient, scale: weight)
        backward(outputGradient: UnsafeBufferPointer(start: tape.outputGradient, count: tape.outputBuffer.count),
                 tape: tape, inputGradient: inputGradient)
        return value
    }

    /// Evaluates `loss` on the last forward pass's outputs and writes its gradient with respect to
    /// the network's input to the tape, leaving ``gradients`` alone. Returns the loss.
    @discardableResult
    public func backwardToInput(loss: LogitLoss, weight: Scalar = 1, tape: MLPTape<Scalar>) -> Scalar {
        let value = loss.evaluate(logits: tape.outputBuffer, gradient: tape.outputGradient, scale: weight)
        backwardToInput(outputGradient: UnsafeBufferPointer(start: tape.outputGradient, count: tape.outputBuffer.count),
                        tape: tape)
        return value
    }

    /// ∂L/∂x for ∂L/∂A_k = `activationGradient` (rows × outputs of layer k) at hidden layer `k`
    /// of the last forward pass, into the tape's ``MLPTape/inputGradient``; ``gradients`` are left
    /// alone (G's feature-matching gradient through D's features).
    public func backwardToInput(fromLayer k: Int, activationGradient: UnsafeBufferPointer<Scalar>, tape: MLPTape<Scalar>) {
        precondition(layers.indices.contains(k), "layer \(k) of \(layers.count)")
        precondition(tape.architecture == architecture && tape.rows > 0, "no forward pass on this tape")
        precondition(activationGradient.count == tape.rows * layers[k].outputs,
                     "gradient has \(activationGradient.count) scalars, layer \(k) \(tape.rows)×\(layers[k].outputs)")
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in
            passes.backward(p.baseAddress!, nil, upstream: activationGradient.baseAddress!, inputGradient: true, tape, from: k)
        }
    }

    private func checkTape(_ tape: MLPTape<Scalar>, upstream count: Int) {
        precondition(tape.architecture == architecture, "the tape belongs to another architecture")
        precondition(tape.rows > 0, "backward pass before any forward pass on this tape")
        precondition(count == tape.rows * architecture.outputSize,
                     "output gradient has \(count) scalars, the output \(tape.rows)×\(architecture.outputSize)")
    }

    // MARK: Input gradient and gradient penalties

    /// ∇ₓD(x_r) for each row of `input` (rows × in), for a network with one output; also left on
    /// the tape (``MLPTape/inputGradient``, ``MLPTape/inputGradientNorms``). A first-order
    /// backward pass: the tape gets no double-backward buffers.
    @discardableResult
    public func inputGradient(at input: Matrix<Scalar>, tape: MLPTape<Scalar>) -> Matrix<Scalar> {
        forward(input, tape: tape)
        inputGradient(tape: tape)
        return tape.inputGradient
    }

    /// ∇ₓD(x_r) at the rows of the last forward pass on `tape`, for a network with one output, onto
    /// the tape (``MLPTape/inputGradientBuffer``, ``MLPTape/inputGradientNormsBuffer``): for a
    /// batch already run forward, without running it again.
    public func inputGradient(tape: MLPTape<Scalar>) {
        precondition(tape.architecture == architecture, "the tape belongs to another architecture")
        precondition(tape.rows > 0, "input gradient before any forward pass on this tape")
        let passes = self.passes
        parameters.withUnsafeBufferPointer { p in passes.inputGradient(p.baseAddress!, tape) }
    }

    /// The penalty P = (1/B) Σ_r φ(‖∇ₓD(x_r)‖) at the rows of `input`, without gradients.
    public func penalty(_ penalty: NormPenalty, at input: Matrix<Scalar>, tape: MLPTape<Scalar>) -> PenaltyEvaluation {
        forward(input, tape: tape)
        let passes = self.passes
        return parameters.withUnsafeBufferPointer { p in
            passes.penaltyInputGradient(p.baseAddress!, tape)
            return PenaltyEvaluation(passes.penaltyBackward(penalty, scale: 1, p.baseAddress!, nil, tape))
        }
    }

    /// Accumulates into ``gradients`` the exact gradient, times `weight`, of the penalty
    /// P = (1/B) Σ_r φ(‖∇ₓD(x_r)‖) over the rows x_r of `input` (double backward; see
    /// `docs/neural-net.md`). WGAN-GP: `.wganGP()` at interpolates; R1: `.r1(gamma:)` at real data.
    /// Returns P (without `weight`) and the mean and largest ‖∇ₓD‖.
    @discardableResult
    public mutating func accumulatePenaltyGradient(_ penalty: NormPenalty, at input: Matrix<Scalar>,
                                                   tape: MLPTape<Scalar>, weight: Scalar = 1) -> PenaltyEvaluation {
        forward(input, tape: tape)
        let passes = self.passes
        let scale = Double(weight)
        let result = parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                passes.penaltyInputGradient(p.baseAddress!, tape)
                return passes.penaltyBackward(penalty, scale: scale, p.baseAddress!, g.baseAddress!, tape)
            }
        }
        return PenaltyEvaluation(result)
    }
}
