import RealModule

/// A generator MLP with virtual batch normalisation (Salimans et al. 2016, §3.4) in every hidden
/// layer: each hidden pre-activation is normalised with the statistics of a fixed reference batch
/// of latents, combined with the example itself, so that an example's output depends on the
/// weights and on the fixed reference batch but never on the other examples of its batch (unlike
/// batch normalisation).
///
/// Per hidden layer and feature, with pre-activations z, R reference rows r and ε = 1e-5:
///
///     reference rows:  m = (1/R) Σ_r z_r,                 v = (1/R) Σ_r (z_r − m)²
///     example row i:   m_i = (Σ_r z_r + z_i)/(R + 1),     v_i = (Σ_r z_r² + z_i²)/(R + 1) − m_i²
///                         = R/(R + 1) · (v + (z_i − m)²/(R + 1))   (the form computed: no cancellation)
///     ẑ = (z − m)/√(v + ε),   y = γ ẑ + β,   a = σ(y)
///
/// with learnable per-feature γ (initially 1) and β (initially 0). The output layer is dense and not
/// normalised. The reference batch runs through the network with the examples on every pass (one
/// (R + B)-row gemm per layer), so its statistics follow the current weights, and the backward pass
/// differentiates through them into the reference rows, as the authors' TensorFlow code does.
///
/// Backward, per feature, from ȳ (the reference rows' ȳ is 0 at the output but not at hidden layers:
/// their activations feed the next layer's statistics): ẑ̄ = γȳ, γ̄ += Σ_rows ȳẑ, β̄ += Σ_rows ȳ,
/// t = 1/√(v + ε), and with statistics (m, v) each row contributes m̄ = −t ẑ̄, v̄ = −½t²ẑẑ̄:
///
///     z̄_i = t_i ẑ̄_i + (m̄_i + 2 v̄_i (z_i − m_i))/(R + 1)
///     z̄_r = t ẑ̄_r + M̄/R + A + 2E + 2(z_r − m)(V̄/R + C)
///
/// where M̄ = −t Σ_r ẑ̄_r, V̄ = −½t² Σ_r ẑ_r ẑ̄_r, A = Σ_i m̄_i/(R + 1), C = Σ_i v̄_i/(R + 1),
/// E = Σ_i v̄_i (m − m_i)/(R + 1). Checked against central differences in the tests.
///
/// ``parameters`` has an ``MLP``'s layout (W₀, b₀, W₁, b₁, …; the hidden biases are kept but have
/// zero gradient, as the normalisation removes them); ``scales`` holds γ_k then β_k for each hidden
/// layer k. Generic over Float and Double; matrix products through `Scalar.gemm`.
public struct VirtualBatchNormNetwork<Scalar: BLASScalar>: Sendable {
    public let architecture: MLPArchitecture
    public let layers: [LayerLayout]
    /// Weights and biases, ``MLP`` layout.
    public var parameters: [Scalar]
    public var gradients: [Scalar]
    /// γ₀, β₀, γ₁, β₁, … (one value per feature of each hidden layer).
    public var scales: [Scalar]
    public var scaleGradients: [Scalar]
    /// The reference latents, R × in, drawn once and fixed for the network's life.
    public let reference: Matrix<Scalar>
    /// Where γ_k starts in ``scales`` (β_k follows it).
    let scaleOffsets: [Int]

    /// ε in √(v + ε), as in the authors' code.
    public static var epsilon: Scalar { 1e-5 }

    /// A network with the given weights (``MLP`` layout), γ/β and reference latents.
    public init(architecture: MLPArchitecture, parameters: [Scalar], scales: [Scalar], reference: Matrix<Scalar>) {
        precondition(architecture.layerCount >= 2, "virtual batch normalisation needs a hidden layer")
        precondition(parameters.count == architecture.parameterCount, "\(parameters.count) parameters for \(architecture)")
        precondition(reference.rows >= 1 && reference.columns == architecture.inputSize,
                     "the reference batch must be R ≥ 1 rows of \(architecture.inputSize) latents")
        self.architecture = architecture
        layers = architecture.layout
        var offsets: [Int] = [], offset = 0
        for layer in layers.dropLast() {
            offsets.append(offset)
            offset += 2 * layer.outputs
        }
        precondition(scales.count == offset, "\(scales.count) scales given, \(offset) needed (γ and β per hidden feature)")
        scaleOffsets = offsets
        self.parameters = parameters
        gradients = [Scalar](repeating: 0, count: parameters.count)
        self.scales = scales
        scaleGradients = [Scalar](repeating: 0, count: scales.count)
        self.reference = reference
    }

    /// Weights drawn as ``MLP/init(architecture:seed:initialisation:)`` draws them (the same seed
    /// gives the plain network's weights), γ = 1, β = 0.
    public init(architecture: MLPArchitecture, seed: Seed, reference: Matrix<Scalar>) {
        let weights = MLP<Scalar>(architecture: architecture, seed: seed).parameters
        var scales: [Scalar] = []
        for layer in architecture.layout.dropLast() {
            scales += [Scalar](repeating: 1, count: layer.outputs) + [Scalar](repeating: 0, count: layer.outputs)
        }
        self.init(architecture: architecture, parameters: weights, scales: scales, reference: reference)
    }

    /// The same network in another precision.
    public init<Other: BLASScalar>(converting other: VirtualBatchNormNetwork<Other>) {
        self.init(architecture: other.architecture, parameters: other.parameters.map { Scalar($0) },
                  scales: other.scales.map { Scalar($0) },
                  reference: Matrix(rows: other.reference.rows, columns: other.reference.columns,
                                    storage: other.reference.storage.map { Scalar($0) }))
    }

    public func makeTape() -> VirtualBatchNormTape<Scalar> { VirtualBatchNormTape(architecture: architecture) }

    /// R: the reference batch's rows.
    public var referenceRows: Int { reference.rows }
    /// Offset of γ_k in ``scales``; β_k starts ``LayerLayout/outputs`` later.
    public func gammaOffset(ofLayer k: Int) -> Int { scaleOffsets[k] }

    public mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] = 0 } }
        scaleGradients.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] = 0 } }
    }

    @inlinable public var parametersAreFinite: Bool { allFinite(parameters) && allFinite(scales) }

    /// G at the rows of `input` (evaluation: a temporary tape).
    public func callAsFunction(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        let tape = makeTape()
        forward(input, tape: tape)
        return Matrix(rows: input.rows, columns: architecture.outputSize, storage: Array(tape.outputBuffer))
    }

    // MARK: Forward

    public func forward(_ input: Matrix<Scalar>, tape: VirtualBatchNormTape<Scalar>) {
        precondition(input.columns == architecture.inputSize, "input has \(input.columns) columns, G takes \(architecture.inputSize)")
        input.storage.withUnsafeBufferPointer { forward($0, tape: tape) }
    }

    /// Runs the reference rows and the example rows of `input` (row-major, rows × in) through the
    /// network as one batch; the examples' outputs are then ``VirtualBatchNormTape/outputBuffer``.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, tape: VirtualBatchNormTape<Scalar>) {
        let k0 = architecture.inputSize, referenceRows = reference.rows
        precondition(input.count > 0 && input.count % k0 == 0, "input of \(input.count) scalars is not rows of \(k0)")
        precondition(tape.architecture == architecture, "the tape belongs to another architecture")
        let examples = input.count / k0, n = referenceRows + examples
        tape.prepare(examples: examples, referenceRows: referenceRows)
        reference.storage.withUnsafeBufferPointer { tape.input.update(from: $0.baseAddress!, count: $0.count) }
        (tape.input + referenceRows * k0).update(from: input.baseAddress!, count: input.count)
        parameters.withUnsafeBufferPointer { pb in
            scales.withUnsafeBufferPointer { sb in
                let p = pb.baseAddress!, s = sb.baseAddress!, last = layers.count - 1
                for k in 0..<last {
                    let layer = layers[k], h = layer.outputs
                    let x = k == 0 ? tape.input! : tape.a[k - 1], z = tape.z[k]
                    Scalar.gemm(transA: false, transB: true, m: n, n: h, k: layer.inputs, alpha: 1,
                                a: x, lda: layer.inputs, b: p + layer.weightOffset, ldb: layer.inputs, beta: 0, c: z, ldc: h)
                    let bias = p + layer.biasOffset
                    for r in 0..<n {
                        let row = z + r * h
                        for j in 0..<h { row[j] += bias[j] }
                    }
                    normalise(layer: k, width: h, gamma: s + scaleOffsets[k], tape)
                    // y ← γẑ (in normalise), then y ← y + β and a ← σ(y).
                    architecture.hidden.addBiasAndApply(tape.y[k], bias: s + scaleOffsets[k] + h, tape.a[k], rows: n, columns: h)
                }
                let layer = layers[last], h = layer.inputs
                Scalar.gemm(transA: false, transB: true, m: examples, n: layer.outputs, k: h, alpha: 1,
                            a: tape.a[last - 1] + referenceRows * h, lda: h, b: p + layer.weightOffset, ldb: h,
                            beta: 0, c: tape.outputZ, ldc: layer.outputs)
                architecture.output.addBiasAndApply(tape.outputZ, bias: p + layer.biasOffset, tape.output,
                                                    rows: examples, columns: layer.outputs)
            }
        }
    }

    /// ẑ, the per-row statistics and y = γẑ for hidden layer `k`, from its pre-activations z.
    @inline(__always)
    private func normalise(layer k: Int, width h: Int, gamma: UnsafePointer<Scalar>, _ tape: VirtualBatchNormTape<Scalar>) {
        let referenceRows = tape.referenceRows, n = referenceRows + tape.examples
        let z = tape.z[k], zHat = tape.zHat[k], y = tape.y[k]
        let mean = tape.referenceMean[k], scale = tape.referenceScale[k], variance = tape.referenceVariances[k]
        let exampleMean = tape.exampleMean[k], exampleScale = tape.exampleScale[k]
        let epsilon = Self.epsilon, inverseR = 1 / Scalar(referenceRows)
        let oneOverR1 = 1 / Scalar(referenceRows + 1), rOverR1 = Scalar(referenceRows) / Scalar(referenceRows + 1)
        for j in 0..<h { mean[j] = 0; variance[j] = 0 }
        for r in 0..<referenceRows {
            let row = z + r * h
            for j in 0..<h { mean[j] += row[j] }
        }
        for j in 0..<h { mean[j] *= inverseR }
        for r in 0..<referenceRows {
            let row = z + r * h
            for j in 0..<h { let d = row[j] - mean[j]; variance[j] += d * d }
        }
        for j in 0..<h {
            variance[j] *= inverseR
            scale[j] = 1 / (variance[j] + epsilon).squareRoot()
        }
        for r in 0..<referenceRows {
            let row = z + r * h, out = zHat + r * h
            for j in 0..<h { out[j] = (row[j] - mean[j]) * scale[j] }
        }
        for r in referenceRows..<n {
            let row = z + r * h, out = zHat + r * h, e = (r - referenceRows) * h
            let m = exampleMean + e, t = exampleScale + e
            for j in 0..<h {
                let d = row[j] - mean[j]
                let v = rOverR1 * (variance[j] + d * d * oneOverR1)
                let ti = 1 / (v + epsilon).squareRoot()
                m[j] = mean[j] + d * oneOverR1
                t[j] = ti
                out[j] = d * rOverR1 * ti
            }
        }
        for r in 0..<n {
            let source = zHat + r * h, target = y + r * h
            for j in 0..<h { target[j] = gamma[j] * source[j] }
        }
    }

    // MARK: Backward

    /// Accumulates ∂L/∂θ (weights, biases, γ, β) for ∂L/∂output = `outputGradient` (examples × out)
    /// of the last forward pass on `tape`; with `inputGradient`, writes ∂L/∂(example latents) to
    /// ``VirtualBatchNormTape/inputGradientBuffer`` (the reference latents are constants).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func backward(outputGradient: UnsafeBufferPointer<Scalar>, tape: VirtualBatchNormTape<Scalar>,
                                  inputGradient: Bool = false) {
        let examples = tape.examples, referenceRows = tape.referenceRows, n = referenceRows + examples
        precondition(tape.architecture == architecture && examples > 0, "no forward pass on this tape")
        precondition(outputGradient.count == examples * architecture.outputSize,
                     "output gradient has \(outputGradient.count) scalars, the output \(examples)×\(architecture.outputSize)")
        let layers = self.layers, scaleOffsets = self.scaleOffsets, hidden = architecture.hidden
        let outputActivation = architecture.output
        parameters.withUnsafeBufferPointer { pb in
            gradients.withUnsafeMutableBufferPointer { gb in
                scales.withUnsafeBufferPointer { sb in
                    scaleGradients.withUnsafeMutableBufferPointer { sgb in
                        let p = pb.baseAddress!, g = gb.baseAddress!, s = sb.baseAddress!, sg = sgb.baseAddress!
                        let last = layers.count - 1, top = layers[last], h = top.inputs
                        let delta = tape.outputDelta!, below = tape.delta[last - 1]
                        outputActivation.derivativeProduct(outputGradient.baseAddress!, z: tape.outputZ, a: tape.output,
                                                           into: delta, count: examples * top.outputs)
                        let examplesIn = tape.a[last - 1] + referenceRows * h
                        Scalar.gemm(transA: true, transB: false, m: top.outputs, n: h, k: examples, alpha: 1,
                                    a: delta, lda: top.outputs, b: examplesIn, ldb: h, beta: 1, c: g + top.weightOffset, ldc: h)
                        Scalar.gemm(transA: false, transB: false, m: 1, n: top.outputs, k: examples, alpha: 1,
                                    a: tape.ones, lda: examples, b: delta, ldb: top.outputs, beta: 1, c: g + top.biasOffset,
                                    ldc: top.outputs)
                        below.update(repeating: 0, count: referenceRows * h) // the reference outputs are not used
                        Scalar.gemm(transA: false, transB: false, m: examples, n: h, k: top.outputs, alpha: 1,
                                    a: delta, lda: top.outputs, b: p + top.weightOffset, ldb: h, beta: 0,
                                    c: below + referenceRows * h, ldc: h)
                        for k in stride(from: last - 1, through: 0, by: -1) {
                            let layer = layers[k], w = layer.outputs, adjoint = tape.delta[k]
                            hidden.multiplyByDerivative(adjoint, z: tape.y[k], a: tape.a[k], count: n * w)
                            Self.backThroughNormalisation(layer: k, width: w, gamma: s + scaleOffsets[k],
                                                          gammaGradient: sg + scaleOffsets[k], tape)
                            let x = k == 0 ? tape.input! : tape.a[k - 1]
                            Scalar.gemm(transA: true, transB: false, m: w, n: layer.inputs, k: n, alpha: 1,
                                        a: adjoint, lda: w, b: x, ldb: layer.inputs, beta: 1, c: g + layer.weightOffset,
                                        ldc: layer.inputs)
                            Scalar.gemm(transA: false, transB: false, m: 1, n: w, k: n, alpha: 1,
                                        a: tape.ones, lda: n, b: adjoint, ldb: w, beta: 1, c: g + layer.biasOffset, ldc: w)
                            if k > 0 {
                                Scalar.gemm(transA: false, transB: false, m: n, n: layer.inputs, k: w, alpha: 1,
                                            a: adjoint, lda: w, b: p + layer.weightOffset, ldb: layer.inputs, beta: 0,
                                            c: tape.delta[k - 1], ldc: layer.inputs)
                            } else if inputGradient {
                                Scalar.gemm(transA: false, transB: false, m: examples, n: layer.inputs, k: w, alpha: 1,
                                            a: adjoint + referenceRows * w, lda: w, b: p + layer.weightOffset,
                                            ldb: layer.inputs, beta: 0, c: tape.inputGradient, ldc: layer.inputs)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Turns ȳ (in `tape.delta[k]`, all rows) into z̄ in place and accumulates γ̄, β̄ (see the type's
    /// documentation for the formulas).
    @inline(__always)
    private static func backThroughNormalisation(layer k: Int, width h: Int, gamma: UnsafePointer<Scalar>,
                                                 gammaGradient: UnsafeMutablePointer<Scalar>,
                                                 _ tape: VirtualBatchNormTape<Scalar>) {
        let referenceRows = tape.referenceRows, n = referenceRows + tape.examples
        let bar = tape.delta[k], z = tape.z[k], zHat = tape.zHat[k]
        let mean = tape.referenceMean[k], scale = tape.referenceScale[k]
        let exampleMean = tape.exampleMean[k], exampleScale = tape.exampleScale[k]
        let betaGradient = gammaGradient + h
        let sumBar = tape.featureScratch[0], sumBarZHat = tape.featureScratch[1]
        let a = tape.featureScratch[2], c = tape.featureScratch[3], e = tape.featureScratch[4]
        // γ̄, β̄ over every row; then ẑ̄ = γȳ in place.
        for r in 0..<n {
            let row = bar + r * h, normalised = zHat + r * h
            for j in 0..<h {
                gammaGradient[j] += row[j] * normalised[j]
                betaGradient[j] += row[j]
                row[j] *= gamma[j]
            }
        }
        for j in 0..<h { sumBar[j] = 0; sumBarZHat[j] = 0; a[j] = 0; c[j] = 0; e[j] = 0 }
        for r in 0..<referenceRows {
            let row = bar + r * h, normalised = zHat + r * h
            for j in 0..<h { sumBar[j] += row[j]; sumBarZHat[j] += row[j] * normalised[j] }
        }
        let oneOverR1 = 1 / Scalar(referenceRows + 1), inverseR = 1 / Scalar(referenceRows)
        for r in referenceRows..<n {
            let row = bar + r * h, normalised = zHat + r * h, zr = z + r * h, offset = (r - referenceRows) * h
            let m = exampleMean + offset, t = exampleScale + offset
            for j in 0..<h {
                let g = row[j], ti = t[j]
                let mBar = -ti * g
                let vBar = -0.5 * ti * ti * g * normalised[j]
                a[j] += mBar
                c[j] += vBar
                e[j] += vBar * (mean[j] - m[j])
                row[j] = ti * g + (mBar + 2 * vBar * (zr[j] - m[j])) * oneOverR1
            }
        }
        // Per feature: the constant and the slope of the reference rows' statistics term.
        for j in 0..<h {
            let t = scale[j]
            let mBar = -t * sumBar[j], vBar = -0.5 * t * t * sumBarZHat[j]
            a[j] = mBar * inverseR + (a[j] + 2 * e[j]) * oneOverR1
            c[j] = 2 * (vBar * inverseR + c[j] * oneOverR1)
        }
        for r in 0..<referenceRows {
            let row = bar + r * h, zr = z + r * h
            for j in 0..<h { row[j] = scale[j] * row[j] + a[j] + c[j] * (zr[j] - mean[j]) }
        }
    }
}

// MARK: Saving

extension VirtualBatchNormNetwork: Codable {
    private enum CodingKeys: String, CodingKey { case architecture, parameters, scales, reference }

    /// Decodes the architecture, weights, γ/β and the reference latents (R × in, row-major).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let architecture = try container.decode(MLPArchitecture.self, forKey: .architecture)
        let parameters = try container.decode([Scalar].self, forKey: .parameters)
        let scales = try container.decode([Scalar].self, forKey: .scales)
        let reference = try container.decode([[Scalar]].self, forKey: .reference)
        let hiddenWidths = architecture.layout.dropLast().reduce(0) { $0 + 2 * $1.outputs }
        guard architecture.layerCount >= 2, parameters.count == architecture.parameterCount, scales.count == hiddenWidths,
              !reference.isEmpty, reference.allSatisfy({ $0.count == architecture.inputSize }) else {
            throw DecodingError.dataCorruptedError(forKey: .parameters, in: container,
                debugDescription: "the parameters, scales or reference latents do not fit \(architecture)")
        }
        self.init(architecture: architecture, parameters: parameters, scales: scales,
                  reference: Matrix(rows: reference.count, columns: architecture.inputSize, storage: reference.flatMap { $0 }))
    }

    /// Encodes the architecture, weights, γ/β and reference latents (not the gradients).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(scales, forKey: .scales)
        try container.encode((0..<reference.rows).map(reference.row), forKey: .reference)
    }
}
