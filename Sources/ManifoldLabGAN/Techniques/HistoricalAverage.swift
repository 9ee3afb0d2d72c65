import ManifoldLabCore
/// Historical averaging (Salimans et al. 2016, §3.3): each player's cost gains λ‖θ − θ̄‖², where
/// θ̄ is the mean of the parameters over all steps so far (the current one included). θ̄ is a
/// record of the past, so it is held constant in the gradient: ∂/∂θ = 2λ(θ − θ̄). The term pulls
/// the players back towards their running means, damping the orbits of simultaneous gradient play.
///
/// One instance per parameter vector; the mean is kept in Double in both precisions.
struct HistoricalAverage<Scalar: BLASScalar>: Sendable {
    let lambda: Double
    private(set) var mean: [Double] = []
    private(set) var count = 0

    init(lambda: Double) { self.lambda = lambda }

    /// Adds θ to the running mean.
    mutating func record(_ parameters: [Scalar]) {
        if mean.isEmpty { mean = [Double](repeating: 0, count: parameters.count) }
        count += 1
        let weight = 1 / Double(count)
        for i in parameters.indices { mean[i] += (Double(parameters[i]) - mean[i]) * weight }
    }

    /// λ‖θ − θ̄‖².
    func penalty(_ parameters: [Scalar]) -> Double {
        guard !mean.isEmpty else { return 0 }
        var total = 0.0
        for i in parameters.indices { let d = Double(parameters[i]) - mean[i]; total += d * d }
        return lambda * total
    }

    /// gradients += 2λ(θ − θ̄).
    func addGradient(_ parameters: [Scalar], to gradients: inout [Scalar]) {
        guard !mean.isEmpty else { return }
        for i in parameters.indices { gradients[i] += Scalar(2 * lambda * (Double(parameters[i]) - mean[i])) }
    }

    /// Records θ, then adds the penalty's gradient: the step every player takes before its optimiser.
    mutating func apply(_ parameters: [Scalar], to gradients: inout [Scalar]) {
        record(parameters)
        addGradient(parameters, to: &gradients)
    }
}
