/// The workspace of one batch through one network: the activations kept by the forward pass (and
/// the pre-activations of the layers whose σ′ needs them, see ``Activation/derivativeFromActivation``:
/// none for ReLU, tanh, sigmoid and identity networks), and the scratch of the backward and
/// double-backward passes.
///
/// Buffers are allocated when the batch size changes and reused otherwise, so a training loop with
/// a fixed batch size allocates nothing per step. The double backward pass of a gradient penalty
/// needs about as much again; those buffers are allocated by the first penalty pass only, so a
/// tape that never runs one (plain GAN losses, the ∇ₓD diagnostic) never holds them.
/// A tape belongs to one network architecture; a batch's tape must stay alive until its backward
/// pass, and passes that run one after the other can share a tape. Not `Sendable`: one owner, one
/// task.
///
/// The `…Buffer` views point into the tape's storage: they stay valid while the tape lives and
/// until the next pass with a different batch size.
public final class MLPTape<Scalar: BLASScalar> {
    public let architecture: MLPArchitecture
    /// Rows of the batch last run through the tape (0 before the first pass).
    public private(set) var rows = 0

    private var buffers = TapeBuffers<Scalar>()

    // Forward pass (k indexes dense layers).
    private(set) var input: UnsafeMutablePointer<Scalar>! // rows × in₀, a copy of the input
    private(set) var z: [UnsafeMutablePointer<Scalar>?] = [] // rows × out_k, only where σ′ needs z
    private(set) var a: [UnsafeMutablePointer<Scalar>] = [] // rows × out_k; a[L−1] is the output
    // Backward pass.
    private(set) var delta: [UnsafeMutablePointer<Scalar>] = [] // rows × out_k
    private var outputGradientStorage: UnsafeMutablePointer<Scalar>? // rows × out, on first use (logit losses)
    private(set) var inputGradientStorage: UnsafeMutablePointer<Scalar>! // rows × in₀
    private(set) var ones: UnsafeMutablePointer<Scalar>! // rows ones (bias sums as one gemm)
    private(set) var rowNorms: UnsafeMutablePointer<Scalar>! // rows: ‖∇ₓD(x_r)‖ of the last input-gradient pass
    private(set) var hasRowNorms = false
    // Double backward pass (allocated by the first penalty pass). Its δ_k (of ∂D/∂x) live in `delta`,
    // which the first sweep only reads and the second overwrites after it.
    private(set) var penaltyV: [UnsafeMutablePointer<Scalar>?] = [] // V_k = δ_k W_k: rows × in_k, k ≥ 1 (V₀ = ∇ₓD)
    private(set) var penaltyVBar: [UnsafeMutablePointer<Scalar>] = [] // adjoint of V_k: rows × in_k
    private(set) var penaltyDeltaBar: UnsafeMutablePointer<Scalar>! // adjoint of δ_k, one layer at a time: rows × max out_k
    private(set) var penaltyZBar: [UnsafeMutablePointer<Scalar>?] = [] // curvature term: rows × out_k, curved layers only

    public init(architecture: MLPArchitecture) {
        self.architecture = architecture
    }

    deinit { release() }

    /// Makes room for `count` rows; keeps the buffers when the size is unchanged.
    func prepare(rows count: Int) {
        precondition(count >= 1, "a batch needs at least one row")
        if count == rows { return }
        release()
        rows = count
        let sizes = architecture.layerSizes, layers = architecture.layerCount
        input = buffers.allocate(count * sizes[0])
        z = (0..<layers).map { k in
            architecture.activation(ofLayer: k).derivativeFromActivation ? nil : buffers.allocate(count * sizes[k + 1])
        }
        a = (0..<layers).map { buffers.allocate(count * sizes[$0 + 1]) }
        delta = (0..<layers).map { buffers.allocate(count * sizes[$0 + 1]) }
        inputGradientStorage = buffers.allocate(count * sizes[0])
        ones = buffers.allocate(count)
        ones.update(repeating: 1, count: count)
        rowNorms = buffers.allocate(count)
    }

    /// ∂L/∂output for a loss on the outputs (rows × out), allocated on first use: a generator,
    /// whose gradient arrives from D's input, never needs it.
    var outputGradient: UnsafeMutablePointer<Scalar> {
        if let outputGradientStorage { return outputGradientStorage }
        let storage = buffers.allocate(rows * architecture.outputSize)
        outputGradientStorage = storage
        return storage
    }

    /// Whether the double backward pass's buffers are allocated (by a penalty pass since the last
    /// change of batch size).
    public var hasPenaltyBuffers: Bool { penaltyDeltaBar != nil }

    /// Makes room for the double backward pass (after ``prepare(rows:)``); only layers with a
    /// curved activation get a curvature buffer.
    func preparePenalty() {
        if hasPenaltyBuffers { return }
        let sizes = architecture.layerSizes, layers = architecture.layerCount
        penaltyV = (0..<layers).map { $0 == 0 ? nil : buffers.allocate(rows * sizes[$0]) }
        penaltyVBar = (0..<layers).map { buffers.allocate(rows * sizes[$0]) }
        penaltyDeltaBar = buffers.allocate(rows * sizes[1...].max()!)
        penaltyZBar = (0..<layers).map { k in
            architecture.activation(ofLayer: k).isPiecewiseLinear ? nil : buffers.allocate(rows * sizes[k + 1])
        }
    }

    /// Records that `rowNorms` holds the norms of the last input-gradient pass.
    func markRowNorms() { hasRowNorms = true }

    private func release() {
        buffers.releaseAll()
        z = []; a = []; delta = []; outputGradientStorage = nil
        penaltyV = []; penaltyVBar = []; penaltyDeltaBar = nil; penaltyZBar = []
        hasRowNorms = false
        rows = 0
    }

    // MARK: Results

    /// The network's output for the last forward pass (rows × out), as a view.
    public var outputBuffer: UnsafeBufferPointer<Scalar> {
        precondition(rows > 0, "no forward pass has run on this tape")
        return UnsafeBufferPointer(start: a[a.count - 1], count: rows * architecture.outputSize)
    }

    /// The activations A_k of layer `k` for the last forward pass (rows × outputs of layer k), as
    /// a view; the last layer's are the output.
    public func activationBuffer(ofLayer k: Int) -> UnsafeBufferPointer<Scalar> {
        precondition(rows > 0, "no forward pass has run on this tape")
        return UnsafeBufferPointer(start: a[k], count: rows * architecture.layerSizes[k + 1])
    }

    /// The network's output for the last forward pass (rows × out), as a new matrix.
    public var output: Matrix<Scalar> {
        Matrix(rows: rows, columns: architecture.outputSize, storage: Array(outputBuffer))
    }

    /// Copies the output into `matrix`, reusing its storage when the shape already fits.
    public func copyOutput(into matrix: inout Matrix<Scalar>) {
        copy(outputBuffer, columns: architecture.outputSize, into: &matrix)
    }

    /// ∂/∂x of the last backward pass that asked for it, or ∇ₓD of the last input-gradient or
    /// penalty pass (rows × in), as a view.
    public var inputGradientBuffer: UnsafeBufferPointer<Scalar> {
        precondition(rows > 0, "no pass has run on this tape")
        return UnsafeBufferPointer(start: inputGradientStorage, count: rows * architecture.inputSize)
    }

    /// The input gradient (see ``inputGradientBuffer``) as a new matrix.
    public var inputGradient: Matrix<Scalar> {
        Matrix(rows: rows, columns: architecture.inputSize, storage: Array(inputGradientBuffer))
    }

    /// ‖∇ₓD(x_r)‖ for each row of the last input-gradient or penalty pass.
    public var inputGradientNorms: [Scalar] { Array(inputGradientNormsBuffer) }

    /// ``inputGradientNorms`` as a view.
    public var inputGradientNormsBuffer: UnsafeBufferPointer<Scalar> {
        precondition(hasRowNorms, "no input-gradient pass has run on this tape")
        return UnsafeBufferPointer(start: rowNorms, count: rows)
    }

    private func copy(_ source: UnsafeBufferPointer<Scalar>, columns: Int, into matrix: inout Matrix<Scalar>) {
        if matrix.rows != rows || matrix.columns != columns {
            matrix = Matrix(rows: rows, columns: columns)
        }
        matrix.storage.withUnsafeMutableBufferPointer { target in
            target.baseAddress!.update(from: source.baseAddress!, count: source.count)
        }
    }
}
