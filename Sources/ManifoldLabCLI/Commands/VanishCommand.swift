import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab vanish`: Arjovsky & Bottou 2017, Figures 2 and 3 — freeze G, train D alone, and
/// watch the generator's gradient under the minimax cost vanish while −log D's does not.
struct VanishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanish",
        abstract: "Freeze G, train a fresh D alone, and measure how G's gradient vanishes (Arjovsky & Bottou 2017, Fig. 2–3).",
        discussion: """
        Phase 1 trains G and D together for --pretrain-steps E (minimax, Adam 1e-4 β₁ 0.5; the paper used \
        DCGAN after 1, 10 and 25 epochs). Phase 2 freezes G and trains a fresh D alone for --steps updates \
        (only D trains here, so a step is a D update; --d-steps elsewhere means D updates per G update). Every \
        --record-every D steps it records D's accuracy and loss and the norm of G's gradient under the \
        minimax cost E log(1 − D(G(z))) and under −E log D(G(z)), each as mean and standard deviation over \
        --probe-batches fresh batches (DIR/vanish.csv), plus the derivative of each cost with respect to \
        the offset θ (G's output moved towards the data). It prints how many orders of magnitude the minimax \
        gradient fell (log10 of its peak over its mean on the last 10 % of records) and the D step where \
        D's accuracy reached 100 %.

        Defaults: --data line, --latent 1, --dim 64. Why the defaults show it: the data (a segment in R^64) are moved by --offset 1 along a direction \
        orthogonal to them, away from G's initial manifold, so the supports are disjoint and well apart; \
        D is trained by Adam (--lr 1e-3, β₁ 0.5: ten times train-toy's 1e-4, so that D saturates within the \
        default 2000 steps), whose steps do not shrink as the gradient does, so D's \
        logits at the fakes fall linearly towards −∞ and the minimax gradient (∝ σ(logit)) exponentially. \
        Expect D's accuracy to reach 1.0 and the minimax gradient to fall by ≥ 3 orders of magnitude \
        within 2000 D steps, while the −log D gradient does not vanish and its spread grows. With \
        --noise 0.5 the supports overlap and the minimax gradient falls by at most one order. With \
        --optimizer sgd the decay is only about 1/t: on separable data the logistic loss makes the \
        weights grow only logarithmically.

        --generator affine puts G(z) = a + Bz on the data's segment before the offset (a parallel segment \
        at distance θ): with noise σ, D* is logistic in the offset coordinate and everything has a closed \
        form in δ = θ/σ (accuracy Φ(δ/2), D loss 2 log 2 − 2 JS(δ), d/dθ of the minimax cost 2 JS′(δ)/σ, \
        of −log D θ/σ² − 2 JS′(δ)/σ; Thm 2.5), printed beside the measured plateaus (means over the \
        second half of the records).
        """
    )

    @OptionGroup var model: ToyModelOptionGroup

    @Option(name: .customLong("d-layers"), help: "Hidden layers of D, if not --layers (0: logistic regression).")
    var dLayers: Int?

    @Option(help: "Batch size B.")
    var batch: Int = 256

    @Option(name: .customLong("pretrain-steps"), help: "Steps E of G and D trained together before G is frozen.")
    var pretrainSteps: Int = 0

    @Option(name: .customLong("pretrain-lr"), help: "Adam learning rate of both players during pretraining.")
    var pretrainLr: Double = 1e-4

    @Option(help: "D updates of phase 2: the fresh D trained alone against the frozen G.")
    var steps: Int = 2000

    @Option(name: .customLong("d-steps"), help: .hidden)
    var oldDSteps: Int?

    @Option(help: "D's optimiser in phase 2: adam (β₁ 0.5), rmsprop or sgd.")
    var optimizer: OptimizerKind = .adam

    @Option(help: "D's learning rate in phase 2 (Adam's step; 10× train-toy's default so that D saturates within --steps).")
    var lr: Double = 1e-3

    @Option(help: "σ of the instance noise added to real and fake batches (0: none).")
    var noise: Double = 0

    @Option(name: .customLong("label-smoothing"), help: "α: D's target on real data (one-sided label smoothing; 1: none). Theory: D* = α·p/(p+q) is still 0 on disjoint fakes, so it should not stop the vanishing.")
    var labelSmoothing: Double = 1

    @Option(help: "θ: the data are moved by θ along a unit direction n orthogonal to their span (the distance between the supports).")
    var offset: Double = 1

    @Option(name: .customLong("gap"), help: .hidden)
    var oldGap: Double?

    @Option(help: "Arithmetic: double or float.")
    var precision: Precision = .double

    @Option(help: "Seed of every random stream.")
    var seed: UInt64 = 0

    @Option(name: .customLong("record-every"), help: "A row of vanish.csv every this many D steps (and at step 0).")
    var recordEvery: Int = 10

    @Option(name: .customLong("probe-batches"), help: "Fresh batches per row (mean and std over them).")
    var probeBatches: Int = 10

    @Option(help: "A directory (the run writes several files): vanish.csv, manifest.json, vanish.gp and, with gnuplot, vanish.png (created; no files without it).", completion: .directory)
    var out: String?

    @Option(help: "What goes to stdout: text (a summary), json (one summary object) or csv (the summary as one row under its header; sweeps append rows).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    /// The run these flags ask for (checked by the library's `validate()` in `run()`).
    func configuration() throws(ManifoldLabError) -> VanishConfiguration {
        let model = try self.model.resolved()
        return VanishConfiguration(
            data: model.data, dimension: self.model.dim, latent: model.latentSize,
            latentDistribution: model.latent, generator: model.generator, hidden: self.model.hidden,
            layers: self.model.layers,
            discriminatorLayers: dLayers, batch: batch, pretrainSteps: pretrainSteps, pretrainLearningRate: pretrainLr,
            steps: try Deprecated.merge(steps, default: 2000, old: oldDSteps, oldName: "--d-steps", currentName: "--steps"),
            optimizer: optimizer,
            learningRate: lr, noise: noise,
            offset: try Deprecated.merge(offset, default: 1, old: oldGap, oldName: "--gap", currentName: "--offset"), seed: Seed(seed), recordEvery: recordEvery,
            probeBatches: probeBatches, precision: precision,
            labelSmoothing: labelSmoothing)
    }

    func run() throws {
        try header.check(csv: format == .csv)
        let configuration = try configuration()
        try FrameBudget.check([configuration.data], dimension: configuration.dimension)
        try configuration.validate()
        let directory = try out.map { path throws(ManifoldLabError) in try RunDirectory(path: path) }
        Signals.install()  // Ctrl-C / SIGTERM: stop after the current step and write the files
        let progress = ProgressLine(label: "vanish")
        let result = try configuration.run { progress.update($0, of: $1) }
        progress.finish()
        try report(result, directory: directory, out: out, format: format, header: header)
    }
}
