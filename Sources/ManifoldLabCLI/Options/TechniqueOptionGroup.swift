import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// The Improved-GAN techniques of `train-toy` (Salimans et al. 2016).
struct TechniqueOptionGroup: ParsableArguments {
    @Flag(name: .customLong("feature-matching"),
          help: "G minimises ‖E f(x) − E f(G(z))‖² over D's last hidden layer f instead of its GAN cost (D keeps --loss).")
    var featureMatching = false

    @Option(name: .customLong("minibatch-disc"), help: ArgumentHelp(
        "Minibatch discrimination: B kernels of dimension C on D's last hidden layer (e.g. 16,4); not with wgan-gp or r1.",
        valueName: "B,C"))
    var minibatchDisc: String?

    @Option(name: .customLong("historical-avg"), help: ArgumentHelp(
        "λ of the historical-averaging term λ‖θ − θ̄‖² on both players (θ̄: the running mean of θ; 0: off).", valueName: "λ"))
    var historicalAvg: Double = 0

    @Option(name: .customLong("label-smoothing"), help: ArgumentHelp(
        "One-sided label smoothing: D's target on real data (fake targets stay 0; 1: off; cross-entropy losses only).",
        valueName: "α"))
    var labelSmoothing: Double = 1

    @Flag(name: .customLong("virtual-batchnorm"),
          help: "Virtual batch normalisation in G: each hidden layer normalises its pre-activations with the statistics of a fixed reference batch of latents (drawn once, R = --batch) plus the example itself, then a learned scale γ and shift β; G(z) stays a function of z alone. Needs --generator mlp and --layers ≥ 1; generator.json holds the reference batch, so `walk` replays G exactly.")
    var virtualBatchnorm = false

    func resolved() throws(ManifoldLabError) -> Techniques {
        Techniques(featureMatching: featureMatching,
                   minibatchDiscrimination: try minibatchDisc.map { text throws(ManifoldLabError) in try MinibatchShape.parse(text) },
                   historicalAveraging: historicalAvg, labelSmoothing: labelSmoothing,
                   virtualBatchNorm: virtualBatchnorm)
    }
}
