import RealModule

/// The costs of a (K+1)-class discriminator (Salimans et al. 2016, §5) on its K real-class logits
/// l₁…l_K per row, the "generated" class's logit fixed at 0.
///
/// With Z(x) = Σ_k e^{l_k}, the class posteriors are p(y = k | x) = e^{l_k}/(Z + 1) and
/// p(generated | x) = 1/(Z + 1), so the discriminator's "real" probability is
/// D(x) = Z/(Z + 1) = σ(u) with u = log Z = logsumexp(l): every GAN cost of D is a ``LogitLoss`` of u,
/// and ∂u/∂l_k = softmax(l)_k. Everything is computed from log-sum-exp on the logits (never from a
/// rounded probability), so values and gradients are finite for any finite logits.
public enum ClassLogitLoss {
    /// u = logsumexp(l₁…l_K) of one row; `softmax`, when given, receives e^{l_k − u}.
    @inlinable public static func logPartition(_ row: UnsafeBufferPointer<Double>, softmax: UnsafeMutablePointer<Double>? = nil) -> Double {
        var largest = -Double.infinity
        for l in row { largest = max(largest, l) }
        var sum = 0.0
        for l in row { sum += Double.exp(l - largest) }
        let u = largest + Double.log(sum)
        if let softmax { for k in row.indices { softmax[k] = Double.exp(row[k] - u) } }
        return u
    }

    /// The supervised cost −(1/B) Σ_i log p(y_i | x_i, real) = (1/B) Σ_i (logsumexp(l_i) − l_{i,y_i}),
    /// the cross-entropy over the K real classes; with `gradient` (B × K), writes
    /// `scale`·(softmax(l_i) − e_{y_i})/B there.
    public static func supervised(logits: UnsafeBufferPointer<Double>, classes: Int, labels: [Int],
                                  gradient: UnsafeMutablePointer<Double>?, scale: Double = 1) -> Double {
        let rows = labels.count
        precondition(classes >= 1 && logits.count == rows * classes && rows > 0, "\(logits.count) logits for \(rows) rows of \(classes) classes")
        var total = 0.0
        for i in 0..<rows {
            let row = UnsafeBufferPointer(rebasing: logits[(i * classes)..<((i + 1) * classes)])
            let u = logPartition(row, softmax: gradient.map { $0 + i * classes })
            total += u - row[labels[i]]
            if let gradient {
                for k in 0..<classes { gradient[i * classes + k] *= scale / Double(rows) }
                gradient[i * classes + labels[i]] -= scale / Double(rows)
            }
        }
        return total / Double(rows)
    }

    /// The mean of `loss` at u = logsumexp(l) over the rows (e.g. `.discriminatorReal()`: −log D(x),
    /// `.discriminatorFake`: −log(1 − D(x))); with `gradient` (B × K), writes
    /// `scale`·ℓ′(u_i)·softmax(l_i)/B there.
    public static func unsupervised(logits: UnsafeBufferPointer<Double>, classes: Int, loss: LogitLoss,
                                    gradient: UnsafeMutablePointer<Double>?, scale: Double = 1) -> Double {
        precondition(classes >= 1 && !logits.isEmpty && logits.count % classes == 0, "\(logits.count) logits in rows of \(classes)")
        let rows = logits.count / classes
        var total = 0.0
        for i in 0..<rows {
            let row = UnsafeBufferPointer(rebasing: logits[(i * classes)..<((i + 1) * classes)])
            let u = logPartition(row, softmax: gradient.map { $0 + i * classes })
            total += loss.value(u)
            if let gradient {
                let factor = scale * loss.derivative(u) / Double(rows)
                for k in 0..<classes { gradient[i * classes + k] *= factor }
            }
        }
        return total / Double(rows)
    }

    /// The predicted class argmax_k l_k of each row (the generated class left out).
    public static func predictions(_ logits: Matrix<Double>) -> [Int] {
        (0..<logits.rows).map { i in
            var best = 0
            for k in 1..<logits.columns where logits[i, k] > logits[i, best] { best = k }
            return best
        }
    }
}
