import RealModule

/// The minibatch-discrimination layer of Salimans et al. (2016, §3.2): it lets D compare each
/// example with the rest of its batch, so a generator that collapses onto a few points, whose
/// samples are all close to one another, is easy to tell from data.
///
/// For features f_i ∈ R^A (row i of a batch of n) and a tensor T ∈ R^{A×B×C}:
///
///     M_i = f_i T ∈ R^{B×C},   c_b(i, j) = exp(−‖M_{i,b} − M_{j,b}‖₁),   o_{i,b} = Σ_{j≠i} c_b(i, j).
///
/// The caller concatenates o_i ∈ R^B to f_i. The pair j = i (always 1) is left out, as in the
/// authors' code. Real and fake batches go through the layer separately, so o measures how
/// alike the examples of one batch are. T is stored as an A × (B·C) row-major matrix.
///
/// The forward pass keeps the B·n² values c_b(i, j) for the backward pass (8 MB for B = 16 at a
/// batch of 256 in Double); each exponential is computed once, for i < j, and mirrored.
public struct MinibatchDiscrimination<Scalar: BLASScalar>: Sendable {
    /// A: the width of the features it reads.
    public let features: Int
    /// B: the number of kernels (outputs per example).
    public let kernels: Int
    /// C: the dimension of each kernel's projection.
    public let kernelDimension: Int
    /// T, A × (B·C) row-major.
    public var parameters: [Scalar]
    /// ∂L/∂T, accumulated by ``backward(outputGradient:tape:accumulate:)`` since ``zeroGradients()``.
    public var gradients: [Scalar]

    /// T with entries N(0, 0.05²), the authors' initialisation.
    public init(features: Int, kernels: Int, kernelDimension: Int, rng: RandomStream) {
        precondition(features >= 1 && kernels >= 1 && kernelDimension >= 1)
        self.features = features
        self.kernels = kernels
        self.kernelDimension = kernelDimension
        parameters = (0..<(features * kernels * kernelDimension)).map { _ in Scalar(rng.gaussian(sigma: 0.05)) }
        gradients = [Scalar](repeating: 0, count: parameters.count)
    }

    var width: Int { kernels * kernelDimension }

    public mutating func zeroGradients() {
        for i in gradients.indices { gradients[i] = 0 }
    }

    /// o (rows × B) for the features `input` (rows × A), into `tape.output`. Keeps Mᵀ (B·C × rows:
    /// kernel b's coordinate l of every row is one contiguous line, so the pair loops run over
    /// contiguous memory and vectorise) and every c_b(i, j) on the tape.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, tape: MinibatchTape<Scalar>) {
        precondition(input.count % features == 0 && !input.isEmpty, "features are rows of \(features)")
        let n = input.count / features, bc = width, c = kernelDimension
        tape.prepare(rows: n, features: features, kernels: kernels, width: bc)
        tape.input.update(from: input.baseAddress!, count: input.count)
        parameters.withUnsafeBufferPointer { t in
            // Mᵀ = Tᵀ Fᵀ: (B·C × A)(A × rows).
            Scalar.gemm(transA: true, transB: true, m: bc, n: n, k: features, alpha: 1,
                        a: t.baseAddress!, lda: bc, b: tape.input, ldb: features, beta: 0, c: tape.mT, ldc: n)
        }
        let mT = tape.mT!, o = tape.output!, e = tape.exponentials!, distance = tape.scratch!
        for b in 0..<kernels {
            let block = mT + b * c * n, eb = e + b * n * n
            for i in 0..<n {
                eb[i * n + i] = 0
                let count = n - i - 1
                guard count > 0 else { continue }
                let d = distance + i + 1
                d.update(repeating: 0, count: count)
                for l in 0..<c {
                    let line = block + l * n, mil = line[i], rest = line + i + 1
                    for j in 0..<count { d[j] += abs(rest[j] - mil) }
                }
                let row = eb + i * n + i + 1
                for j in 0..<count { row[j] = Scalar.exp(-d[j]) }
                for j in 0..<count { eb[(i + 1 + j) * n + i] = row[j] }
            }
            for i in 0..<n {
                let row = eb + i * n
                var sum: Scalar = 0
                for j in 0..<n { sum = Relaxed.sum(sum, row[j]) }
                o[i * kernels + b] = sum
            }
        }
    }

    /// Back through the layer from ∂L/∂o = `outputGradient` (rows × B) of the last forward pass:
    /// writes ∂L/∂f (rows × A) to `tape.inputGradient` and, when `accumulate`, adds ∂L/∂T to
    /// ``gradients``. With ō the upstream and s = sign(M_{i,b,l} − M_{j,b,l}):
    ///
    ///     M̄_{i,b,l} = −Σ_{j≠i} (ō_{i,b} + ō_{j,b}) c_b(i, j) s,   T̄ = fᵀ M̄,   f̄ = M̄ Tᵀ.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func backward(outputGradient: UnsafeBufferPointer<Scalar>, tape: MinibatchTape<Scalar>,
                                  accumulate: Bool) {
        let n = tape.rows, bc = width, c = kernelDimension
        precondition(n > 0 && outputGradient.count == n * kernels, "upstream must be rows × \(kernels)")
        let mT = tape.mT!, mBarT = tape.mBarT!, e = tape.exponentials!, weight = tape.scratch!
        let upstream = outputGradient.baseAddress!, column = tape.scratch! + n
        for b in 0..<kernels {
            let block = mT + b * c * n, barBlock = mBarT + b * c * n, eb = e + b * n * n
            for j in 0..<n { column[j] = upstream[j * kernels + b] }
            for i in 0..<n {
                let oi = column[i], row = eb + i * n
                for j in 0..<n { weight[j] = (oi + column[j]) * row[j] } // 0 at j = i
                for l in 0..<c {
                    let line = block + l * n, mil = line[i]
                    var total: Scalar = 0
                    for j in 0..<n {
                        let d = mil - line[j], w = weight[j]
                        let positive: Scalar = d > 0 ? w : 0, negative: Scalar = d < 0 ? w : 0
                        total = Relaxed.sum(total, positive - negative)
                    }
                    barBlock[l * n + i] = -total
                }
            }
        }
        parameters.withUnsafeBufferPointer { t in
            // f̄ = M̄ Tᵀ = (M̄ᵀ)ᵀ Tᵀ.
            Scalar.gemm(transA: true, transB: true, m: n, n: features, k: bc, alpha: 1,
                        a: mBarT, lda: n, b: t.baseAddress!, ldb: bc, beta: 0, c: tape.inputGradient, ldc: features)
        }
        guard accumulate else { return }
        gradients.withUnsafeMutableBufferPointer { g in
            // T̄ += Fᵀ M̄ = Fᵀ (M̄ᵀ)ᵀ.
            Scalar.gemm(transA: true, transB: true, m: features, n: bc, k: n, alpha: 1,
                        a: tape.input, lda: features, b: mBarT, ldb: n, beta: 1, c: g.baseAddress!, ldc: bc)
        }
    }
}

/// The buffers of one batch through a ``MinibatchDiscrimination`` layer, reused while the batch
/// size stays the same. One owner, one task.
public final class MinibatchTape<Scalar: BLASScalar> {
    public private(set) var rows = 0
    private(set) var input: UnsafeMutablePointer<Scalar>! // rows × A
    private(set) var mT: UnsafeMutablePointer<Scalar>! // Mᵀ: B·C × rows
    private(set) var mBarT: UnsafeMutablePointer<Scalar>! // ∂L/∂Mᵀ: B·C × rows
    private(set) var exponentials: UnsafeMutablePointer<Scalar>! // B × rows × rows: c_b(i, j), 0 on the diagonal
    private(set) var scratch: UnsafeMutablePointer<Scalar>! // 2·rows
    private(set) var output: UnsafeMutablePointer<Scalar>! // rows × B
    private(set) var inputGradient: UnsafeMutablePointer<Scalar>! // rows × A
    private var kernels = 0, features = 0, width = 0

    public init() {}
    deinit { release() }

    func prepare(rows count: Int, features: Int, kernels: Int, width: Int) {
        if count == rows && features == self.features && kernels == self.kernels && width == self.width { return }
        release()
        rows = count
        self.features = features
        self.kernels = kernels
        self.width = width
        input = .allocate(capacity: count * features)
        mT = .allocate(capacity: count * width)
        mBarT = .allocate(capacity: count * width)
        exponentials = .allocate(capacity: kernels * count * count)
        scratch = .allocate(capacity: 2 * count)
        output = .allocate(capacity: count * kernels)
        inputGradient = .allocate(capacity: count * features)
    }

    private func release() {
        guard rows > 0 else { return }
        for p in [input, mT, mBarT, exponentials, scratch, output, inputGradient] { p?.deallocate() }
        rows = 0
    }

    /// o for the last forward pass (rows × B), as a view.
    public var outputBuffer: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: output, count: rows * kernels) }
    /// ∂L/∂f of the last backward pass (rows × A), as a view.
    public var inputGradientBuffer: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: inputGradient, count: rows * features) }
}
