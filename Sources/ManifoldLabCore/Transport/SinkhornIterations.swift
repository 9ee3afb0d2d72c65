import Foundation

/// out_i = −ε log Σ_j exp(h_j − C(x_i, y_j)/ε) for every row point x_i: the one operation a
/// log-domain Sinkhorn iteration needs. ``SinkhornKernel`` computes it over every pair (dense
/// tiles); ``TreeSoftmin`` over the pairs a k-d tree cannot rule out (truncated kernel).
protocol SoftminOperator {
    var rowCount: Int { get }
    var columnCount: Int { get }
    func softmin(_ h: [Double], epsilon: Double, into out: inout [Double])
}

/// How far a Sinkhorn loop got: x–y updates (ε-scaling included) and the final L1 marginal error.
struct SinkhornConvergence {
    var iterations: Int
    var marginalError: Double
}

extension SoftminOperator {
    /// Alternating updates g ← softmin over x, f ← softmin over y, from the potentials `g` holds on
    /// entry (zero for a cold start; f is derived from g), with ε halved from `start` to `target`
    /// one update pair at a time, then at `target` until the L1 row-marginal error
    /// Σ_i a_i |exp((f_i − f_i^new)/ε) − 1| is below `tolerance` — or, with `settle`, for exactly
    /// that many updates whatever the error (a coarse stage whose potentials only start a finer one).
    /// Updates at the target are over-relaxed (``SinkhornRelaxation``).
    func solvePair<Transposed: SoftminOperator>(
        transposed: Transposed, logA: [Double], logB: [Double], f: inout [Double], g: inout [Double],
        from start: Double, to target: Double, tolerance: Double, maxIterations: Int, settle: Int? = nil,
        what: String) throws(ManifoldLabError) -> SinkhornConvergence {
        let n = rowCount, m = columnCount
        var epsilon = start
        var hx = [Double](repeating: 0, count: n), hy = [Double](repeating: 0, count: m)
        var fNew = [Double](repeating: 0, count: n), gNew = [Double](repeating: 0, count: m)
        var iterations = 0, atTarget = 0
        var relaxation = SinkhornRelaxation()
        for j in 0..<m { hy[j] = logB[j] + g[j] / epsilon }
        softmin(hy, epsilon: epsilon, into: &f)
        while true {
            let omega = epsilon == target ? relaxation.weight : 1
            for i in 0..<n { hx[i] = logA[i] + f[i] / epsilon }
            transposed.softmin(hx, epsilon: epsilon, into: &gNew)
            for j in 0..<m { g[j] = omega == 1 ? gNew[j] : (1 - omega) * g[j] + omega * gNew[j] }
            for j in 0..<m { hy[j] = logB[j] + g[j] / epsilon }
            softmin(hy, epsilon: epsilon, into: &fNew)
            iterations += 1
            if epsilon == target {
                atTarget += 1
                let error = Self.marginalError(logA: logA, f, fNew, epsilon: epsilon)
                for i in 0..<n { f[i] = omega == 1 ? fNew[i] : (1 - omega) * f[i] + omega * fNew[i] }
                if error < tolerance || atTarget == settle {
                    return SinkhornConvergence(iterations: iterations, marginalError: error)
                }
                try Self.check(error, epsilon: epsilon, iterations: iterations, maxIterations: maxIterations,
                               tolerance: tolerance, what: what)
                relaxation.observe(error)
            } else {
                swap(&f, &fNew)
                epsilon = max(target, epsilon * 0.5)
            }
        }
    }

    /// OT_ε(a, a) for a measure against itself: the symmetric fixed point f = softmin(log a + f/ε),
    /// reached by averaged updates f ← ½(f + T f) from the `f` given (zero for a cold start), with
    /// ε halved from `start` to `target` as in ``solvePair``; `settle` likewise. Leaves the last
    /// average in `f` and returns 2⟨a, f⟩ (as ⟨a, f⟩ + ⟨a, T f⟩).
    func solveSymmetric(logA: [Double], f: inout [Double], from start: Double, to target: Double, tolerance: Double,
                        maxIterations: Int, settle: Int? = nil, what: String) throws(ManifoldLabError) -> Double {
        let n = rowCount
        var epsilon = start
        var fNew = [Double](repeating: 0, count: n), h = fNew
        var iterations = 0, atTarget = 0
        while true {
            for i in 0..<n { h[i] = logA[i] + f[i] / epsilon }
            softmin(h, epsilon: epsilon, into: &fNew)
            iterations += 1
            if epsilon == target {
                atTarget += 1
                // Marginal error of the plan built from f: row sums a_i exp((f_i − T f_i)/ε).
                let error = Self.marginalError(logA: logA, f, fNew, epsilon: epsilon)
                if error < tolerance || atTarget == settle {
                    var value = 0.0
                    for i in 0..<n { value += exp(logA[i]) * (f[i] + fNew[i]) }
                    for i in 0..<n { f[i] = 0.5 * (f[i] + fNew[i]) }
                    return value
                }
                try Self.check(error, epsilon: epsilon, iterations: iterations, maxIterations: maxIterations,
                               tolerance: tolerance, what: what)
                for i in 0..<n { f[i] = 0.5 * (f[i] + fNew[i]) }
            } else {
                for i in 0..<n { f[i] = 0.5 * (f[i] + fNew[i]) }
                epsilon = max(target, epsilon * 0.5)
            }
        }
    }

    /// Σ_i a_i |exp((f_i − f_i^new)/ε) − 1|: the L1 error of the row sums of the plan built from f.
    static func marginalError(logA: [Double], _ f: [Double], _ fNew: [Double], epsilon: Double) -> Double {
        var error = 0.0
        for i in 0..<f.count { error += exp(logA[i]) * abs(fastExp(min((f[i] - fNew[i]) / epsilon, 700)) - 1) }
        return error
    }

    /// Throws when the error is not finite or the iteration budget is spent: no value is reported.
    static func check(_ error: Double, epsilon: Double, iterations: Int, maxIterations: Int, tolerance: Double,
                      what: String) throws(ManifoldLabError) {
        guard error.isFinite else {
            throw .numericalFailure("Sinkhorn (\(what)) diverged: marginal error \(error) at ε = \(epsilon)")
        }
        if iterations >= maxIterations {
            throw .numericalFailure("Sinkhorn (\(what)) reached its limit of \(maxIterations) iterations with marginal error \(error) above the tolerance \(tolerance) at ε = \(epsilon) (raise \(parameter: "max_iterations") or ε); no value is reported")
        }
    }
}

/// Over-relaxation of the updates at the target ε (Thibault et al. 2017): a potential moves
/// ω times as far as the plain update, f ← (1 − ω) f + ω T f. Plain updates (ω = 1) run first and
/// measure their contraction rate r per update; ω = 2/(1 + √(1 − r)) turns r = 1 − δ into about
/// 1 − 2√δ (thousands of updates into a hundred at small ε). While ω is below its best value the
/// rate seen under it is slower than ω − 1; then r is re-estimated from it by the successive
/// over-relaxation formula √ρ = (ωλ + √(ω²λ² − 4(ω − 1)))/2, r = λ² (adaptive SOR, Hageman &
/// Young) and ω raised. Over-relaxed errors oscillate, so progress is judged on the smallest error
/// of each window of ``stall`` updates: should it grow from one window to the next (the sign of
/// an ω too large for this nonlinear map), ω is moved halfway back to 1 and never raised again.
/// A fixed point is a fixed point for every ω, so ω changes the speed, never the answer.
struct SinkhornRelaxation {
    private(set) var weight = 1.0
    private var errors: [Double] = [], since = 0, lowered = false
    /// Plain updates before the first estimate, updates between estimates, the stall window.
    static let probe = 12, window = 10, stall = 40
    static let largest = 1.95

    mutating func observe(_ error: Double) {
        errors.append(error)
        since += 1
        if weight > 1 && since >= 2 * Self.stall {
            let recent = errors.suffix(Self.stall).min()!
            let before = errors.dropLast(Self.stall).suffix(Self.stall).min()!
            if recent > before {
                weight = 1 + 0.5 * (weight - 1)
                lowered = true
                since = 0
                return
            }
        }
        guard !lowered else { return }
        let needed = weight == 1 ? Self.probe : Self.window
        guard since >= needed, errors.count > Self.window else { return }
        let recent = errors[errors.count - 1], earlier = errors[errors.count - 1 - Self.window]
        guard recent > 0, earlier > recent else { return }
        let rate = pow(recent / earlier, 1 / Double(Self.window))
        var plain = rate
        if weight > 1 {
            guard rate > weight - 1 + 0.02 else { return }
            let lambda = (rate + weight - 1) / (weight * rate.squareRoot())
            plain = min(lambda * lambda, 1)
        }
        let next = min(Self.largest, 2 / (1 + (1 - plain).squareRoot()))
        if next > weight { weight = next; since = 0 }
    }
}
