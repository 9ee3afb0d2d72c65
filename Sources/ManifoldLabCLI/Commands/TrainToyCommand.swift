import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab train-toy`: trains a small MLP GAN on data on a manifold in R^D and records, in
/// numbers, how the generator's gradient behaves as D wins.
struct TrainToyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-toy",
        abstract: "Train a small MLP GAN on data on a low-dimensional manifold in R^D and watch G's gradient vanish.",
        discussion: """
        The data lie on a manifold (default: a segment) placed in R^D by a seeded random frame; G maps a \
        k-dimensional latent code through an MLP (or an affine map) into R^D, D is an MLP with one logit. \
        Their supports are disjoint from the start, so D soon separates them: with the minimax cost the \
        generator's gradient then vanishes, with −log D it does not (but grows noisy). Instance noise \
        (--noise σ, added to every real and fake batch D sees) or a Wasserstein critic brings it back.

        Defaults: line in R^64, latent k = 1 uniform on [−1, 1], G and D with 2 hidden layers of 128 ReLU \
        units (PyTorch's nn.Linear initialisation), batch 256, 2000 steps, one D step per G step, Adam \
        lr 1e-4 β₁ 0.5 for both players (RMSProp 5e-5 and clip 0.01 for wgan), double precision.
        Each loss has its published defaults: wgan RMSProp 5e-5, clip 0.01, 5 critic steps per G step
        (Arjovsky et al. 2017); wgan-gp Adam 1e-4, β = (0.5, 0.9), γ = 10, 5 critic steps (Gulrajani et
        al. 2017); minimax and nonsat one D step per G step (Goodfellow et al. 2014) with DCGAN's Adam
        β = (0.5, 0.999) at lr 1e-4 (DCGAN's 2e-4 halved: the studies here are calibrated at it); r1
        one D step, γ = 1.

        Losses:
        \(GANLoss.allCases.map { "  \($0.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        At step 1, every --log-every steps and at the last step it records (DIR/metrics.csv): step, σ, D and G \
        losses on the training batches; on a fresh batch: D's accuracy on real and on fake, the norm of G's \
        gradient under BOTH costs (g_grad_minimax: E log(1 − D(G(z))), g_grad_nonsat: −E log D(G(z)), \
        whichever trains), the mean ‖∇ₓD‖ at fakes, the JS lower bound log 2 + ½E_P log D + ½E_Q log(1 − D) \
        from the current D; W1 between fixed evaluation batches of data and of G's samples (clean; \
        --w1 exact or sliced); and, for k ≤ 2 and σ > 0, the smoothed JS between data and G's manifold \
        (Monte Carlo with exact densities; G's density by quadrature over a fine latent grid) and its \
        Monte Carlo standard error (smoothed_js_stderr). For WGAN \
        critics the accuracy and JS columns treat the critic value as a logit and mean little.

        What to look for: W1 falling as G learns the data; d_acc_* and js_lower_bound say how far D is \
        ahead; g_grad_minimax against g_grad_nonsat says which cost still gives G a signal. With the \
        default balanced players (Adam 1e-4 each, one D step per G step) G keeps pace with D and the \
        gradients stay alive; the vanishing itself is cleanest with `manifoldlab vanish` (G frozen, a \
        fresh D trained alone). With --noise the smoothed_js column follows JS(P_σ, Q_σ) down from log 2.

        Mode collapse: with --data ring (8 modes, std 0.01) or grid (25 modes, std 0.05) every metrics row \
        also counts, on 2500 samples from fixed latents, the modes covered, the fraction of high-quality \
        samples (within 3 std of their nearest mode, measured on the data's own plane) and the KL of the mode histogram to \
        the uniform one — the Unrolled-GAN/VEEGAN/PacGAN protocol. The techniques below compose with every \
        loss where they are defined; `manifoldlab compare-techniques` runs them all over several seeds.

        --out DIR writes metrics.csv, samples.csv (final generated evaluation points), projected.csv \
        (data and samples in the data's frame), generator.json (the final generator, for `walk`), manifest.json (every parameter, seed, version, BLAS core, \
        wall time, steps/s), plots.gp and, when gnuplot is on PATH, curves.png and samples.png. Without --out no file \
        is written. A NaN or ∞ in a loss or weight stops the run with exit status 70, after writing the \
        files with every row logged so far. A progress bar goes to stderr when it is a terminal.
        """
    )

    @OptionGroup var model: ToyModelOptionGroup

    @Option(help: "Batch size B (real and fake batches each).")
    var batch: Int = 256

    @Option(help: "Generator updates S.")
    var steps: Int = 2000

    @Option(name: .customLong("d-steps"), help: "D updates per G update (default: 5 for wgan and wgan-gp, the published n_critic; 1 otherwise).")
    var dSteps: Int?

    @Option(help: "minimax, nonsat, wgan, wgan-gp or r1 (see above).")
    var loss: GANLoss = .minimax

    @Option(help: "σ of the instance noise N(0, σ²I) added to real and fake batches (0: none).")
    var noise: Double = 0

    @Flag(name: .customLong("noise-anneal"), help: "Decay σ linearly to 0 over the run.")
    var noiseAnneal = false

    @Option(help: "Learning rate of both players (default 1e-4; 5e-5 for wgan).")
    var lr: Double?

    @Option(help: "adam (β₁ 0.5, β₂ 0.999), rmsprop or sgd (default adam; rmsprop for wgan).")
    var optimizer: OptimizerKind?

    @Option(help: "Penalty weight: λ of wgan-gp (default 10), γ of r1 (default 1).")
    var gamma: Double?

    @Option(help: "WGAN weight clip c (loss wgan).")
    var clip: Double = 0.01

    @Option(help: "Arithmetic: double or float (the networks really train in Float).")
    var precision: Precision = .double

    @Option(help: "Seed of every random stream (frame, data, latent, noise, initial weights).")
    var seed: UInt64 = 0

    @Option(name: .customLong("log-every"), help: "A metrics row every this many steps (plus step 1 and the last).")
    var logEvery: Int = 100

    @Option(name: .customLong("smoothed-js-every"), help: "Compute the smoothed JS at every n-th metrics row (0: last row only).")
    var smoothedJSEvery: Int = 1

    @Option(help: "W1 diagnostic: exact (optimal transport) or sliced (200 directions, cheaper, ≈ W1/√D).")
    var w1: W1Method = .exact

    @Option(name: .customLong("eval-points"), help: "Points in the fixed evaluation batches (W1, samples.csv).")
    var evalPoints: Int = 500

    @OptionGroup(title: "Improved-GAN techniques (Salimans et al. 2016)") var techniques: TechniqueOptionGroup

    @Option(help: "A directory (the run writes several files, listed above; created; no files without it).", completion: .directory)
    var out: String?

    @Option(help: "What goes to stdout: text (a summary), json (one summary object) or csv (the summary as one row under its header; sweeps append rows).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    /// The run these flags ask for (checked by the library's `validate()` in `run()`).
    func configuration() throws(ManifoldLabError) -> TrainingConfiguration {
        let model = try self.model.resolved()
        return TrainingConfiguration(
            data: model.data, dimension: self.model.dim, latent: model.latentSize,
            latentDistribution: model.latent, generator: model.generator,
            hidden: self.model.hidden, layers: self.model.layers, batch: batch, steps: steps, discriminatorSteps: dSteps,
            loss: loss, noise: noise, noiseAnneal: noiseAnneal,
            learningRate: lr, optimizer: optimizer,
            gamma: gamma, clip: clip, precision: precision,
            seed: Seed(seed), logEvery: logEvery, smoothedJSEvery: smoothedJSEvery,
            w1: w1, evaluationPoints: evalPoints,
            techniques: try techniques.resolved())
    }

    func run() throws {
        try header.check(csv: format == .csv)
        let configuration = try configuration()
        try FrameBudget.check([configuration.data], dimension: configuration.dimension)
        try configuration.validate()
        let directory = try out.map { path throws(ManifoldLabError) in try RunDirectory(path: path) }
        Signals.install()  // Ctrl-C / SIGTERM: stop after the current step and write the files

        let progress = ProgressLine(label: "train-toy")
        let result = try configuration.run { progress.update($0, of: $1) }
        progress.finish()
        try report(result, directory: directory, out: out, format: format, header: header)
    }
}
