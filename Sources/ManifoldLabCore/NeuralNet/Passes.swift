/// The batched kernels of an MLP: forward, backward, and the input-gradient and double-backward
/// passes of a gradient penalty. Every matrix product is one `gemm`; the elementwise work is one
/// loop per layer over hoisted pointers. Notation (per dense layer k, rows = examples):
///
///     Z_k = X_k W_kᵀ + 1 b_kᵀ,   A_k = σ_k(Z_k),   X_0 = input,  X_{k+1} = A_k.
///
/// A value type holding only the shapes, so the `MLP` can lend its parameter and gradient
/// buffers to it without overlapping accesses.
struct MLPPasses: Sendable {
    let layers: [LayerLayout]
    let hidden: Activation
    let output: Activation

    init(_ architecture: MLPArchitecture) {
        layers = architecture.layout
        hidden = architecture.hidden
        output = architecture.output
    }

    @inline(__always) func activation(_ k: Int) -> Activation { k == layers.count - 1 ? output : hidden }

    @inline(__always) func layerInput<Scalar>(_ k: Int, _ tape: MLPTape<Scalar>) -> UnsafeMutablePointer<Scalar> {
        k == 0 ? tape.input : tape.a[k - 1]
    }

    // MARK: Forward

    /// Fills the tape's A_k (and Z_k where kept) from the input already copied into `tape.input`;
    /// a layer without Z_k takes its product straight into A_k and activates it in place.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func forward<Scalar: BLASScalar>(_ p: UnsafePointer<Scalar>, _ tape: MLPTape<Scalar>) {
        let rows = tape.rows
        for k in layers.indices {
            let layer = layers[k], a = tape.a[k]
            Scalar.gemm(transA: false, transB: true, m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                        a: layerInput(k, tape), lda: layer.inputs, b: p + layer.weightOffset, ldb: layer.inputs,
                        beta: 0, c: tape.z[k] ?? a, ldc: layer.outputs)
            if let z = tape.z[k] {
                activation(k).addBiasAndApply(z, bias: p + layer.biasOffset, a, rows: rows, columns: layer.outputs)
            } else {
                activation(k).addBiasAndApply(inPlace: a, bias: p + layer.biasOffset, rows: rows, columns: layer.outputs)
            }
        }
    }

    /// The outputs only, for `rows` rows of `input`, into `output` (rows × out): layer by layer
    /// the same `gemm` as ``forward(_:_:)`` and the out-of-place bias-and-activation kernel (the
    /// in-place one gives the same values) — so the tape's outputs, bit for bit — through two
    /// scratch blocks of rows × (widest layer) instead of a tape.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func outputs<Scalar: BLASScalar>(_ p: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, rows: Int,
                                     into output: UnsafeMutablePointer<Scalar>) {
        let width = layers.map(\.outputs).max()!
        let z = UnsafeMutablePointer<Scalar>.allocate(capacity: rows * width)
        let a = UnsafeMutablePointer<Scalar>.allocate(capacity: rows * width)
        z.initialize(repeating: 0, count: rows * width)
        a.initialize(repeating: 0, count: rows * width)
        defer {
            z.deallocate()
            a.deallocate()
        }
        var x = input
        for k in layers.indices {
            let layer = layers[k]
            Scalar.gemm(transA: false, transB: true, m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                        a: x, lda: layer.inputs, b: p + layer.weightOffset, ldb: layer.inputs,
                        beta: 0, c: z, ldc: layer.outputs)
            // Layer k's input (in `a`) is spent once its product is in `z`.
            let target = k == layers.count - 1 ? output : a
            activation(k).addBiasAndApply(z, bias: p + layer.biasOffset, target, rows: rows, columns: layer.outputs)
            x = UnsafePointer(a)
        }
    }

    // MARK: Backward

    /// ∂W_k += Ḡᵀ X_k and ∂b_k += 1ᵀ Ḡ for the adjoint Ḡ = ∂L/∂Z_k (rows × outputs).
    @inline(__always)
    func accumulate<Scalar: BLASScalar>(layer k: Int, adjoint: UnsafePointer<Scalar>, _ g: UnsafeMutablePointer<Scalar>,
                                        _ tape: MLPTape<Scalar>) {
        let layer = layers[k], rows = tape.rows
        Scalar.gemm(transA: true, transB: false, m: layer.outputs, n: layer.inputs, k: rows, alpha: 1,
                    a: adjoint, lda: layer.outputs, b: layerInput(k, tape), ldb: layer.inputs,
                    beta: 1, c: g + layer.weightOffset, ldc: layer.inputs)
        Scalar.gemm(transA: false, transB: false, m: 1, n: layer.outputs, k: rows, alpha: 1,
                    a: tape.ones, lda: rows, b: adjoint, ldb: layer.outputs,
                    beta: 1, c: g + layer.biasOffset, ldc: layer.outputs)
    }

    /// `target` (rows × inputs) = `adjoint` (rows × outputs) · W_k: back through layer k's product.
    @inline(__always)
    func throughWeights<Scalar: BLASScalar>(layer k: Int, _ adjoint: UnsafePointer<Scalar>, _ p: UnsafePointer<Scalar>,
                                            into target: UnsafeMutablePointer<Scalar>, rows: Int) {
        let layer = layers[k]
        Scalar.gemm(transA: false, transB: false, m: rows, n: layer.inputs, k: layer.outputs, alpha: 1,
                    a: adjoint, lda: layer.outputs, b: p + layer.weightOffset, ldb: layer.inputs,
                    beta: 0, c: target, ldc: layer.inputs)
    }

    /// Reverse pass from `upstream` = ∂L/∂A_top (rows × outputs of layer `top`; by default the
    /// last layer, i.e. ∂L/∂output): accumulates ∂L/∂θ of layers 0…top into `g` when given, and
    /// writes ∂L/∂x into the tape's input gradient when asked. A `top` below the last layer starts
    /// from a hidden layer's activations (feature matching).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func backward<Scalar: BLASScalar>(_ p: UnsafePointer<Scalar>, _ g: UnsafeMutablePointer<Scalar>?,
                                      upstream: UnsafePointer<Scalar>, inputGradient: Bool, _ tape: MLPTape<Scalar>,
                                      from top: Int? = nil) {
        let rows = tape.rows, top = top ?? layers.count - 1
        activation(top).derivativeProduct(upstream, z: tape.z[top], a: tape.a[top], into: tape.delta[top],
                                          count: rows * layers[top].outputs)
        for k in stride(from: top, through: 0, by: -1) {
            let delta = tape.delta[k]
            if let g { accumulate(layer: k, adjoint: delta, g, tape) }
            if k > 0 {
                throughWeights(layer: k, delta, p, into: tape.delta[k - 1], rows: rows)
                hidden.multiplyByDerivative(tape.delta[k - 1], z: tape.z[k - 1], a: tape.a[k - 1],
                                            count: rows * layers[k - 1].outputs)
            } else if inputGradient {
                throughWeights(layer: 0, delta, p, into: tape.inputGradientStorage, rows: rows)
            }
        }
    }

    // MARK: Input gradient and double backward

    /// ∇ₓD(x_r) for every row of a scalar-output network, from the last forward pass on the tape:
    /// the ordinary backward pass seeded with ∂L/∂D = 1 per row (the tape's ones), writing only
    /// the first-order buffers. ∇ₓD goes to the tape's input gradient and its row norms to
    /// `tape.rowNorms`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func inputGradient<Scalar: BLASScalar>(_ p: UnsafePointer<Scalar>, _ tape: MLPTape<Scalar>) {
        precondition(layers[layers.count - 1].outputs == 1, "∇ₓD needs a network with one output")
        backward(p, nil, upstream: tape.ones, inputGradient: true, tape)
        storeRowNorms(tape)
    }

    /// ∇ₓD(x_r) as ``inputGradient(_:_:)`` computes it, keeping what the double backward pass
    /// needs: δ_k in `tape.delta` and V_k (k ≥ 1) in `tape.penaltyV`:
    ///
    ///     δ_{L−1} = σ′_out(Z_{L−1}),  V_k = δ_k W_k,  δ_{k−1} = V_k ⊙ σ′(Z_{k−1}),  ∇ₓD = V_0.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func penaltyInputGradient<Scalar: BLASScalar>(_ p: UnsafePointer<Scalar>, _ tape: MLPTape<Scalar>) {
        precondition(layers[layers.count - 1].outputs == 1, "∇ₓD needs a network with one output")
        tape.preparePenalty()
        let rows = tape.rows, last = layers.count - 1
        output.derivativeProduct(tape.ones, z: tape.z[last], a: tape.a[last], into: tape.delta[last], count: rows)
        for k in stride(from: last, through: 0, by: -1) {
            let v = k == 0 ? tape.inputGradientStorage! : tape.penaltyV[k]!
            throughWeights(layer: k, tape.delta[k], p, into: v, rows: rows)
            if k > 0 {
                hidden.derivativeProduct(v, z: tape.z[k - 1], a: tape.a[k - 1], into: tape.delta[k - 1],
                                         count: rows * layers[k - 1].outputs)
            }
        }
        storeRowNorms(tape)
    }

    /// ‖∇ₓD(x_r)‖ for every row of the tape's input gradient, into `tape.rowNorms`.
    private func storeRowNorms<Scalar: BLASScalar>(_ tape: MLPTape<Scalar>) {
        let n = layers[0].inputs, gradient = tape.inputGradientStorage!
        for r in 0..<tape.rows {
            tape.rowNorms[r] = Scalar.dot(count: n, x: gradient + r * n, y: gradient + r * n).squareRoot()
        }
        tape.markRowNorms()
    }

    /// The exact gradient of P = (1/B) Σ_r φ(‖∇ₓD(x_r)‖) with respect to θ, accumulated into `g`,
    /// after ``penaltyInputGradient(_:_:)`` ran on the same tape, times `scale`. Returns (P without the
    /// scale, mean norm, max norm).
    ///
    /// Reverse mode through the input-gradient pass (adjoints carry a bar), then through the forward
    /// pass, whose pre-activations that pass depends on through σ′:
    ///
    ///     V̄_0 = (1/B) φ′(s_r)/s_r · ∇ₓD(x_r)                 (row r; 0 when s_r = 0)
    ///     for k = 0 … L−1:   ∂W_k += δ_kᵀ V̄_k,   δ̄_k = V̄_k W_kᵀ,
    ///                        V̄_{k+1} = δ̄_k ⊙ σ′(Z_k),   Z̄ˣ_k = δ̄_k ⊙ V_{k+1} ⊙ σ″(Z_k)
    ///                        (last layer: Z̄ˣ = δ̄ ⊙ σ″_out(Z))
    ///     for k = L−1 … 0:   Z̄_k = Ā_k ⊙ σ′(Z_k) + Z̄ˣ_k,   ∂W_k += Z̄_kᵀ X_k,   ∂b_k += 1ᵀ Z̄_k,
    ///                        Ā_{k−1} = Z̄_k W_k                        (Ā_{L−1} = 0)
    ///
    /// For piecewise-linear activations σ″ = 0 and the second sweep has nothing to do.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func penaltyBackward<Scalar: BLASScalar>(_ penalty: NormPenalty, scale: Double, _ p: UnsafePointer<Scalar>,
                                             _ g: UnsafeMutablePointer<Scalar>?, _ tape: MLPTape<Scalar>)
        -> (value: Double, meanNorm: Double, maxNorm: Double) {
        let rows = tape.rows, last = layers.count - 1, n = layers[0].inputs
        let gradient = tape.inputGradientStorage!
        var total = 0.0, normSum = 0.0, normMax = 0.0
        let perRow = scale / Double(rows)
        for r in 0..<rows {
            let s = Double(tape.rowNorms[r])
            total += penalty.value(s)
            normSum += s
            normMax = max(normMax, s)
            let coefficient = s > 0 ? Scalar(perRow * penalty.derivative(s) / s) : 0
            let source = gradient + r * n, target = tape.penaltyVBar[0] + r * n
            for j in 0..<n { target[j] = coefficient * source[j] }
        }
        let summary = (value: total / Double(rows), meanNorm: normSum / Double(rows), maxNorm: normMax)
        guard let g else { return summary }

        // Sweep 1: reverse of the input-gradient pass, k = 0 … L−1.
        for k in 0...last {
            let layer = layers[k], count = rows * layer.outputs
            let deltaBar = tape.penaltyDeltaBar!
            Scalar.gemm(transA: true, transB: false, m: layer.outputs, n: layer.inputs, k: rows, alpha: 1,
                        a: tape.delta[k], lda: layer.outputs, b: tape.penaltyVBar[k], ldb: layer.inputs,
                        beta: 1, c: g + layer.weightOffset, ldc: layer.inputs)
            Scalar.gemm(transA: false, transB: true, m: rows, n: layer.outputs, k: layer.inputs, alpha: 1,
                        a: tape.penaltyVBar[k], lda: layer.inputs, b: p + layer.weightOffset, ldb: layer.inputs,
                        beta: 0, c: deltaBar, ldc: layer.outputs)
            let sigma = activation(k)
            if k < last {
                sigma.derivativeProduct(deltaBar, z: tape.z[k], a: tape.a[k], into: tape.penaltyVBar[k + 1], count: count)
            }
            if !sigma.isPiecewiseLinear {
                sigma.secondDerivativeProduct(deltaBar, k < last ? UnsafePointer(tape.penaltyV[k + 1]!) : nil,
                                              a: tape.a[k], into: tape.penaltyZBar[k]!, count: count)
            }
        }

        // Sweep 2: back through the forward pass with the curvature terms injected, k = L−1 … 0.
        // It overwrites `tape.delta`, whose δ_k sweep 1 has finished reading.
        var hasUpstream = false // whether tape.delta[k] holds Ā_k
        for k in stride(from: last, through: 0, by: -1) {
            let layer = layers[k], count = rows * layer.outputs, adjoint = tape.delta[k]
            let curved = !activation(k).isPiecewiseLinear
            guard hasUpstream || curved else { continue }
            if hasUpstream {
                activation(k).multiplyByDerivative(adjoint, z: tape.z[k], a: tape.a[k], count: count)
                if curved { Scalar.axpy(count: count, alpha: 1, x: tape.penaltyZBar[k]!, y: adjoint) }
            } else {
                adjoint.update(from: tape.penaltyZBar[k]!, count: count)
            }
            accumulate(layer: k, adjoint: adjoint, g, tape)
            if k > 0 { throughWeights(layer: k, adjoint, p, into: tape.delta[k - 1], rows: rows) }
            hasUpstream = true
        }
        return summary
    }
}
