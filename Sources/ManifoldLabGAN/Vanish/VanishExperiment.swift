import Foundation
import ManifoldLabCore

/// One row of `vanish.csv`, after `step` D steps of phase 2.
public struct VanishRecord: Sendable, Codable, Equatable {
    public var step: Int
    /// (accuracy on real + accuracy on fake) / 2.
    public var accuracy: MeanStd
    public var loss: MeanStd
    /// ‖∂θ_G E log(1 − D(G(z)))‖ and ‖∂θ_G (−E log D(G(z)))‖.
    public var minimax: MeanStd
    public var nonsat: MeanStd
    /// d(cost)/dθ for θ the offset along n (G's whole output moved by −dθ·n), both costs.
    public var minimaxOffset: MeanStd
    public var nonsatOffset: MeanStd

    public static let csvHeader = ["step", "d_accuracy_mean", "d_accuracy_std", "d_loss_mean", "d_loss_std",
                                   "g_grad_minimax_mean", "g_grad_minimax_std", "g_grad_nonsat_mean", "g_grad_nonsat_std",
                                   "slope_minimax_mean", "slope_minimax_std", "slope_nonsat_mean", "slope_nonsat_std"]

    public var csvCells: [String] {
        [String(step)] + [accuracy, loss, minimax, nonsat, minimaxOffset, nonsatOffset]
            .flatMap { [NumberFormat.text($0.mean), NumberFormat.text($0.std)] }
    }
}

/// The closed form of the noisy parallel segments (Arjovsky & Bottou 2017, Thm 2.5 in one dimension):
/// with δ = θ/σ, D* is logistic in the offset coordinate and
/// accuracy Φ(δ/2), D's loss 2 log 2 − 2 JS(δ), minimax gradient 2 JS′(δ)/σ, −log D gradient
/// θ/σ² − 2 JS′(δ)/σ, where JS(δ) is the JS between N(0, 1) and N(δ, 1).
public struct ParallelSegmentsClosedForm: Sendable, Codable, Equatable {
    public var delta: Double
    public var accuracy: Double
    public var loss: Double
    public var minimaxOffset: Double
    public var nonsatOffset: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case delta, accuracy = "d_accuracy", loss = "d_loss", minimaxOffset = "slope_minimax", nonsatOffset = "slope_nonsat"
    }

    public init(offset theta: Double, noise sigma: Double) {
        let delta = abs(theta) / sigma
        self.delta = delta
        accuracy = 0.5 * erfc(-delta / 2 / 2.0.squareRoot())
        let (js, derivative) = Self.gaussianShiftJS(delta)
        loss = 2 * M_LN2 - 2 * js
        minimaxOffset = 2 * derivative / sigma
        // θ/σ² = δ/σ; beyond double precision (σ = 1e-300: 1e300/1e-300) it is not computable:
        // NaN here, written as null / "not computable", never as a false ∞.
        let nonsat = delta / sigma - 2 * derivative / sigma
        nonsatOffset = nonsat.isFinite ? nonsat : .nan
    }

    /// JS(δ) = ∫ φ(x) log(2φ(x)/(φ(x) + φ(x − δ))) dx and its derivative
    /// JS′(δ) = ½ ∫ (x − δ) φ(x − δ) log(2φ(x − δ)/(φ(x) + φ(x − δ))) dx (only Q moves; the other
    /// terms of the derivative integrate to zero), both by the trapezoid rule on [−12, δ + 12]
    /// (spectrally accurate for these smooth, rapidly decaying integrands). For δ > 24 only the
    /// overlap near δ/2 is summed (see below), so any finite δ gives the correctly rounded result
    /// and no NaN (δ = 1e300 used to give NaN, and δ ≳ 2·10⁴ a step too coarse).
    static func gaussianShiftJS(_ delta: Double) -> (value: Double, derivative: Double) {
        let norm = 1 / (2 * Double.pi).squareRoot()
        let n = 20_000
        if delta > 24 {
            // The log 2 parts integrate to log 2 and 0 exactly (∫φ = 1, ∫uφ = 0) and are taken out;
            // what is left is the overlap of the two bumps, which sits at the midpoint δ/2 with
            // weight ~φ(δ/2): summed on [δ/2 − 12, δ/2 + 12] in t = x − δ/2 (P) and t = u + δ/2 (Q).
            // Beyond δ = 80, φ(δ/2) underflows: JS = log 2 and JS′ = 0 in double precision.
            guard delta <= 80 else { return (M_LN2, 0) }
            let h = 24 / Double(n)
            var overlapP = 0.0, overlapQ = 0.0
            for i in 0...n {
                let t = -12 + Double(i) * h, weight = (i == 0 || i == n) ? 0.5 : 1
                let x = delta / 2 + t, u = t - delta / 2
                overlapP += weight * norm * exp(-0.5 * x * x) * softplus(delta * t)
                overlapQ += weight * 0.5 * u * norm * exp(-0.5 * u * u) * softplus(-delta * t)
            }
            return (M_LN2 - overlapP * h, -overlapQ * h)
        }
        let lower = -12.0, upper = delta + 12
        let h = (upper - lower) / Double(n)
        var overlapP = 0.0, overlapQ = 0.0
        for i in 0...n {
            let x = lower + Double(i) * h, weight = (i == 0 || i == n) ? 0.5 : 1
            let a = -0.5 * x * x, b = -0.5 * (x - delta) * (x - delta)
            // log(2φ_a/(φ_a + φ_b)) = log 2 − softplus(b − a), and symmetrically; the log 2 parts
            // integrate to log 2 and 0 exactly and are taken out (no rounding noise in JS′ ≈ 0).
            overlapP += weight * norm * exp(a) * softplus(b - a)
            overlapQ += weight * 0.5 * (x - delta) * norm * exp(b) * softplus(a - b)
        }
        return (M_LN2 - overlapP * h, -overlapQ * h)
    }
}

/// The outcome of `vanish`.
public struct VanishResult: Sendable {
    public let configuration: VanishConfiguration
    public var records: [VanishRecord] = []
    public var seconds = 0.0
    public var fault: ManifoldLabError?

    /// log10 of the peak minimax mean over the run divided by its mean over the last 10 % of records.
    public var ordersOfMagnitude: Double {
        guard let peak = records.map(\.minimax.mean).max(), peak > 0 else { return 0 }
        let tail = records.suffix(max(records.count / 10, 1))
        let final = tail.map(\.minimax.mean).reduce(0, +) / Double(tail.count)
        return final > 0 ? log10(peak / final) : .infinity
    }

    /// The first recorded step where D's mean accuracy over the probe batches is 1.
    public var stepsToFullAccuracy: Int? { records.first { $0.accuracy.mean == 1 }?.step }

    /// Means over the second half of the records: the plateaus of the closed-form check.
    public var plateau: VanishRecord? {
        guard !records.isEmpty else { return nil }
        let half = Array(records.suffix(max(records.count / 2, 1)))
        func average(_ key: KeyPath<VanishRecord, MeanStd>) -> MeanStd {
            var m = MeanStd([half[0][keyPath: key].mean])
            m.mean = half.map { $0[keyPath: key].mean }.reduce(0, +) / Double(half.count)
            m.std = MeanStd(half.map { $0[keyPath: key].mean }).std / Double(half.count).squareRoot()
            return m
        }
        return VanishRecord(step: half.last!.step, accuracy: average(\.accuracy), loss: average(\.loss),
                            minimax: average(\.minimax), nonsat: average(\.nonsat),
                            minimaxOffset: average(\.minimaxOffset), nonsatOffset: average(\.nonsatOffset))
    }

    public var closedForm: ParallelSegmentsClosedForm? {
        configuration.closedFormApplies ? ParallelSegmentsClosedForm(offset: configuration.offset, noise: configuration.noise) : nil
    }
}

extension VanishConfiguration {
    public func run(progress: ((Int, Int) -> Void)? = nil) throws(ManifoldLabError) -> VanishResult {
        try validate()
        switch precision {
        case .double: return try run(Double.self, progress: progress)
        case .float: return try run(Float.self, progress: progress)
        }
    }

    func run<Scalar: BLASScalar>(_ scalar: Scalar.Type, progress: ((Int, Int) -> Void)?) throws(ManifoldLabError) -> VanishResult {
        let start = DispatchTime.now().uptimeNanoseconds
        let setup = try ToySetup(data: data, dimension: dimension, offset: offset, seed: seed)
        let phase1 = training
        let gan = setup.makeGAN(Scalar.self, generator: phase1.generatorArchitecture,
                                discriminator: MLPArchitecture(input: dimension, width: hidden, hiddenLayers: discriminatorLayers, output: 1),
                                latentDistribution: latentDistribution, optimizer: .adam,
                                learningRate: pretrainLearningRate, loss: .minimax,
                                techniques: Techniques(labelSmoothing: labelSmoothing), gamma: 0, clip: 1, batch: batch, seed: seed)
        if generator == .affine { placeAffine(gan, setup: setup) }
        var result = VanishResult(configuration: self)
        let total = pretrainSteps + steps

        for step in 0..<pretrainSteps {
            if let signal = Interruption.received {
                result.fault = .interrupted(step: step, signal: signal)
                return result
            }
            let d = gan.discriminatorStep(sigma: noise), g = gan.generatorStep(sigma: noise)
            if !d.isFinite || !g.isFinite || gan.nonFiniteParameters != nil {
                result.fault = .trainingDiverged(step: step + 1, quantity: "pretraining produced a non-finite loss or weight")
                return result
            }
            progress?(step + 1, total)
        }

        // Phase 2: G frozen, a fresh D trained alone.
        gan.resetDiscriminator(Discriminator(architecture: gan.discriminator.trunk.architecture, minibatch: nil,
                                             seed: seed.child(.freshDiscriminator)),
                               optimizer: optimizer, learningRate: learningRate)
        for step in 0...steps {
            if let signal = Interruption.received {
                result.fault = .interrupted(step: pretrainSteps + step, signal: signal)
                break
            }
            if step > 0 {
                let loss = gan.discriminatorStep(sigma: noise)
                if !loss.isFinite || !gan.discriminator.parametersAreFinite {
                    result.fault = .trainingDiverged(step: step, quantity: "D's loss or a D weight is not finite")
                    break
                }
                progress?(pretrainSteps + step, total)
            }
            if step % recordEvery == 0 {
                let probes = (0..<probeBatches).map { _ in gan.probe(sigma: noise, direction: setup.direction, inputGradient: false) }
                result.records.append(VanishRecord(
                    step: step, accuracy: MeanStd(probes.map { ($0.accuracyReal + $0.accuracyFake) / 2 }),
                    loss: MeanStd(probes.map(\.discriminatorLoss)), minimax: MeanStd(probes.map(\.minimaxNorm)),
                    nonsat: MeanStd(probes.map(\.nonsatNorm)), minimaxOffset: MeanStd(probes.map(\.minimaxOffset)),
                    nonsatOffset: MeanStd(probes.map(\.nonsatOffset))))
            }
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return result
    }

    /// Puts the affine G on the data's flat before the offset: G(z) = c + ½·edge·F z, so z ~ U[−1, 1]^k
    /// covers the same box as the data's parameters (for a segment: the same uniform law).
    func placeAffine<Scalar: BLASScalar>(_ gan: ToyGAN<Scalar>, setup: ToySetup) {
        let k = latent, d = dimension, span = setup.anchor.spanDimension
        let edge = (setup.manifold as? Flat)?.edge ?? 1
        var weights = Matrix<Scalar>(rows: d, columns: k)
        for j in 0..<min(k, span) {
            let axis = setup.anchor.axis(j)
            for i in 0..<d { weights[i, j] = Scalar(0.5 * edge * axis[i]) }
        }
        gan.generator.setFirstLayer(weights: weights, biases: setup.anchor.center.map { Scalar($0) })
    }
}
