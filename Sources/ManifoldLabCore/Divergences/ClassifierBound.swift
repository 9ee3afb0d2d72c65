import Foundation

/// The variational lower bound on JS that a GAN discriminator optimises:
/// JS(P‖Q) ≥ log 2 + ½ E_P[log D] + ½ E_Q[log(1 − D)] for any D: R^D → (0, 1), with equality at
/// D* = p/(p + q) (then V(G, D*) = −2 log 2 + 2 JS).
///
/// A logistic MLP (D → 64 → 64 → 1, ReLU, Adam 1e-3, batches of 256) is trained to separate n
/// samples of P from n of Q; the bound is then evaluated on n fresh samples of each, so it is an
/// honest lower bound up to its Monte Carlo standard error (never fitted to the points it scores).
public enum ClassifierBound {
    public static let trainingSteps = 2_000

    public static func estimate(train: (p: Matrix<Double>, q: Matrix<Double>), evaluate: (p: Matrix<Double>, q: Matrix<Double>),
                                seed: Seed) -> DivergenceEstimate {
        let dimension = train.p.columns
        var network = MLP<Double>(architecture: MLPArchitecture(layerSizes: [dimension, 64, 64, 1]), seed: seed.child(.classifier))
        var optimiser = Adam<Double>(learningRate: 1e-3)
        let tape = network.makeTape()
        let rng = RandomStream(seed: seed.child(.classifierBatches))
        let batch = min(256, train.p.rows, train.q.rows)
        for _ in 0..<trainingSteps {
            Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
            network.zeroGradients()
            let real = train.p.rows(at: (0..<batch).map { _ in rng.integer(below: train.p.rows) })
            let fake = train.q.rows(at: (0..<batch).map { _ in rng.integer(below: train.q.rows) })
            network.forward(real, tape: tape)
            network.backward(loss: .discriminatorReal(), weight: 0.5, tape: tape)
            network.forward(fake, tape: tape)
            network.backward(loss: .discriminatorFake, weight: 0.5, tape: tape)
            optimiser.step(&network)
        }
        // log D = −softplus(−z), log(1 − D) = −softplus(z) on the logits z: stable for any z.
        let atP = network(evaluate.p).storage.map { M_LN2 - softplus(-$0) }
        let atQ = network(evaluate.q).storage.map { M_LN2 - softplus($0) }
        let (meanP, errorP) = meanAndStandardError(atP), (meanQ, errorQ) = meanAndStandardError(atQ)
        return DivergenceEstimate(.js, value: 0.5 * (meanP + meanQ), stderr: 0.5 * (errorP * errorP + errorQ * errorQ).squareRoot(),
                                  method: "classifier",
                                  reason: "lower bound log 2 + ½E_P[log D] + ½E_Q[log(1−D)] from a trained logistic MLP",
                                  details: ["training_steps": Double(trainingSteps)])
    }
}
