/// The workspace of one batch through a ``VirtualBatchNormNetwork``: the combined (R + B)-row batch
/// (reference rows first), every layer's pre-activations, normalised values, statistics and
/// activations, and the backward pass's scratch.
///
/// Buffers are allocated when the number of examples changes and reused otherwise: a training loop
/// with a fixed batch size allocates nothing per step. One owner, one task.
public final class VirtualBatchNormTape<Scalar: BLASScalar> {
    public let architecture: MLPArchitecture
    /// B: example rows of the last pass (0 before the first).
    public private(set) var examples = 0
    /// R: reference rows of the last pass.
    public private(set) var referenceRows = 0

    private var buffers = TapeBuffers<Scalar>()
    private(set) var input: UnsafeMutablePointer<Scalar>! // (R + B) × in: reference latents, then the examples
    // Hidden layer k (R + B rows × H_k unless noted).
    private(set) var z: [UnsafeMutablePointer<Scalar>] = [] // pre-activations W x + b
    private(set) var zHat: [UnsafeMutablePointer<Scalar>] = [] // normalised
    private(set) var y: [UnsafeMutablePointer<Scalar>] = [] // γẑ + β
    private(set) var a: [UnsafeMutablePointer<Scalar>] = [] // σ(y)
    private(set) var delta: [UnsafeMutablePointer<Scalar>] = [] // ∂L/∂a, then ∂L/∂y, then ∂L/∂z
    private(set) var exampleMean: [UnsafeMutablePointer<Scalar>] = [] // B × H_k: m_i
    private(set) var exampleScale: [UnsafeMutablePointer<Scalar>] = [] // B × H_k: 1/√(v_i + ε)
    private(set) var referenceMean: [UnsafeMutablePointer<Scalar>] = [] // H_k: m
    private(set) var referenceScale: [UnsafeMutablePointer<Scalar>] = [] // H_k: 1/√(v + ε)
    private(set) var referenceVariances: [UnsafeMutablePointer<Scalar>] = [] // H_k: v
    private(set) var featureScratch: [UnsafeMutablePointer<Scalar>] = [] // 5 × max H
    // Output layer (B rows).
    private(set) var outputZ: UnsafeMutablePointer<Scalar>!
    private(set) var output: UnsafeMutablePointer<Scalar>!
    private(set) var outputDelta: UnsafeMutablePointer<Scalar>!
    private(set) var inputGradient: UnsafeMutablePointer<Scalar>! // B × in
    private(set) var ones: UnsafeMutablePointer<Scalar>! // R + B ones (bias sums as one gemm)

    public init(architecture: MLPArchitecture) {
        self.architecture = architecture
    }

    deinit { release() }

    func prepare(examples count: Int, referenceRows r: Int) {
        precondition(count >= 1 && r >= 1)
        if count == examples && r == referenceRows { return }
        release()
        examples = count
        referenceRows = r
        let n = count + r, sizes = architecture.layerSizes, hidden = architecture.layerCount - 1
        let widths = (0..<hidden).map { sizes[$0 + 1] }
        input = buffers.allocate(n * sizes[0])
        z = widths.map { buffers.allocate(n * $0) }
        zHat = widths.map { buffers.allocate(n * $0) }
        y = widths.map { buffers.allocate(n * $0) }
        a = widths.map { buffers.allocate(n * $0) }
        delta = widths.map { buffers.allocate(n * $0) }
        exampleMean = widths.map { buffers.allocate(count * $0) }
        exampleScale = widths.map { buffers.allocate(count * $0) }
        referenceMean = widths.map { buffers.allocate($0) }
        referenceScale = widths.map { buffers.allocate($0) }
        referenceVariances = widths.map { buffers.allocate($0) }
        featureScratch = (0..<5).map { _ in buffers.allocate(widths.max() ?? 1) }
        outputZ = buffers.allocate(count * architecture.outputSize)
        output = buffers.allocate(count * architecture.outputSize)
        outputDelta = buffers.allocate(count * architecture.outputSize)
        inputGradient = buffers.allocate(count * sizes[0])
        ones = buffers.allocate(n)
        ones.update(repeating: 1, count: n)
    }

    private func release() {
        buffers.releaseAll()
        z = []; zHat = []; y = []; a = []; delta = []
        exampleMean = []; exampleScale = []; referenceMean = []; referenceScale = []; referenceVariances = []; featureScratch = []
        examples = 0
        referenceRows = 0
    }

    /// The examples' outputs of the last forward pass (B × out), as a view.
    public var outputBuffer: UnsafeBufferPointer<Scalar> {
        precondition(examples > 0, "no forward pass has run on this tape")
        return UnsafeBufferPointer(start: output, count: examples * architecture.outputSize)
    }

    /// ∂L/∂(example latents) of the last backward pass that asked for it (B × in), as a view.
    public var inputGradientBuffer: UnsafeBufferPointer<Scalar> {
        precondition(examples > 0, "no pass has run on this tape")
        return UnsafeBufferPointer(start: inputGradient, count: examples * architecture.inputSize)
    }

    /// Layer k's normalised pre-activations ẑ for every row, reference rows first ((R + B) × H_k).
    public func normalisedBuffer(ofLayer k: Int) -> UnsafeBufferPointer<Scalar> {
        UnsafeBufferPointer(start: zHat[k], count: (referenceRows + examples) * architecture.layerSizes[k + 1])
    }

    /// Layer k's per-feature variance v of the reference rows' pre-activations (H_k values).
    public func referenceVariance(ofLayer k: Int) -> [Scalar] {
        Array(UnsafeBufferPointer(start: referenceVariances[k], count: architecture.layerSizes[k + 1]))
    }
}
