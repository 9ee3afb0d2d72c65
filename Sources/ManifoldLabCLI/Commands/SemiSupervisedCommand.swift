import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

extension GeneratorCost: ExpressibleByArgument {}

/// `manifoldlab semi-supervised`: the (K+1)-class discriminator of Salimans et al. (2016, §5) on a
/// labelled mixture, against the same network trained on the labels alone.
struct SemiSupervisedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semi-supervised",
        abstract: "Semi-supervised learning with a GAN (Improved GAN §5) on a labelled mixture, against a labels-only baseline.",
        discussion: """
        Every mode of the mixture (--data ring or grid, placed in R^D by a seeded frame) is a class. The training \
        pool holds --n-unlabelled points: --labels L of each class with their labels (drawn class by class), \
        the rest drawn from the mixture without them; the unsupervised cost sees the whole pool. D outputs K logits l₁…l_K and the "generated" class has logit 0, so \
        D(x) = Z(x)/(Z(x) + 1) with Z = Σ exp l_k. D minimises \
        w_s·L_supervised + w_u·L_unsupervised: the cross-entropy over the K classes on a labelled batch, plus \
        −E log D(x) on an unlabelled batch and −E log(1 − D(G(z))) on a generated one (log-sum-exp on the \
        logits throughout). G minimises feature matching on D's last hidden layer (the paper's choice) or \
        −E log D(G(z)) (--g-cost nonsat). The baseline is the same network with the same initial weights, \
        optimiser and labelled batches, trained on the labels alone.

        Accuracy is measured on a fresh labelled test sample (--test-points) by argmax of the K logits. The \
        Bayes accuracy, the best any classifier can do, is E_x[max_y p(y|x)] with the mixture's exact \
        posterior (nearest centre in the data's plane), by Monte Carlo over 10⁵ fresh points, with its \
        standard error; the Bayes rule's accuracy on the runs' own test points is given beside it. The \
        default grid (std 0.05) is separable (Bayes ≈ 1); --mode-std 0.6 makes neighbouring modes overlap \
        (Bayes ≈ 0.85).

        Defaults: grid (25 modes) in R^64, 2 labels per class in a pool of 10 000 points, G and D with 2 hidden \
        layers of 128 ReLU units, latent 2 uniform, batch 100, 2000 steps, Adam lr 1e-3 β₁ 0.5 for all three \
        networks, weights 1 and 1, one seed. --seeds N runs seeds --seed … --seed+N−1 (--jobs at a time) and \
        reports mean and std over them, with the paired gain's 95 % interval.

        --out DIR writes metrics.csv (seed, step, costs, accuracy and baseline_accuracy every --log-every \
        steps), runs.csv (one row per seed), manifest.json (every parameter and seed), plots.gp and, with \
        gnuplot, curves.png. A progress bar goes to stderr when it is a terminal.
        """
    )

    @Option(help: "The labelled mixture: ring (8 modes) or grid (25 modes).", completion: .list(["ring", "grid"]))
    var data: ManifoldKind = .grid

    @OptionGroup var shape: ShapeOptionGroup

    @Option(help: "Ambient dimension D.")
    var dim: Int = 64

    @Option(help: "Labelled points per class L.")
    var labels: Int = 2

    @Option(name: .customLong("n-unlabelled"), help: "Points in the training pool (L per class of them labelled; the unsupervised cost sees all).")
    var nUnlabelled: Int = 10_000

    @Option(name: .customLong("supervised-weight"), help: "w_s: weight of the supervised cross-entropy in D's cost.")
    var supervisedWeight: Double = 1

    @Option(name: .customLong("unsupervised-weight"), help: "w_u: weight of the GAN cost in D's cost (0: D trains on the labels alone, as the baseline).")
    var unsupervisedWeight: Double = 1

    @Option(name: .customLong("g-cost"), help: "G's cost: feature-matching (on D's last hidden layer) or nonsat (−log D(G(z))).")
    var gCost: GeneratorCost = .featureMatching

    @Option(help: "Latent dimension k of G.")
    var latent: Int = 2

    @Option(name: .customLong("latent-dist"), help: "Latent law: uniform (U[−1, 1]^k) or normal (N(0, I)).")
    var latentDist: LatentDistribution = .uniform

    @Option(help: "Hidden width H of D and G.")
    var hidden: Int = 128

    @Option(help: "Hidden layers of D and G (feature matching needs at least 1).")
    var layers: Int = 2

    @Option(help: "Batch size B (labelled, unlabelled and generated batches each).")
    var batch: Int = 100

    @Option(help: "Updates of D, G and the baseline.")
    var steps: Int = 2000

    @Option(help: "Learning rate of Adam (β₁ 0.5) for the three networks.")
    var lr: Double = 1e-3

    @Option(help: "The first seed (data frame, pool, test sample, weights, batches).")
    var seed: UInt64 = 0

    @Option(help: "Number of seeds: runs with --seed, --seed+1, … (a count, not a seed).")
    var seeds: Int = 1

    @Option(help: "Runs trained at once (one thread each).")
    var jobs: Int = 1

    @Option(name: .customLong("test-points"), help: "Points of the fresh labelled test sample of each run.")
    var testPoints: Int = 10_000

    @Option(name: .customLong("log-every"), help: "A metrics row every this many steps (plus step 1 and the last).")
    var logEvery: Int = 100

    @Option(help: "A directory (several files, listed above; created; no files without it).", completion: .directory)
    var out: String?

    @Option(help: "What goes to stdout: text (a summary), json (one summary object) or csv (the summary as one row under its header).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    /// The run these flags ask for (checked by the library's `validate()`).
    func configuration() throws(ManifoldLabError) -> SemiSupervisedConfiguration {
        SemiSupervisedConfiguration(
            data: try shape.specs([(data.rawValue, "data")])[0], dimension: dim, latent: latent, latentDistribution: latentDist,
            hidden: hidden, layers: layers, labels: labels, unlabelled: nUnlabelled, batch: batch, steps: steps,
            learningRate: lr, supervisedWeight: supervisedWeight, unsupervisedWeight: unsupervisedWeight, generatorCost: gCost,
            seed: Seed(seed), seeds: seeds, testPoints: testPoints, logEvery: logEvery)
    }

    func run() throws {
        try header.check(csv: format == .csv)
        let configuration = try configuration()
        try FrameBudget.check([configuration.data], dimension: configuration.dimension)
        try configuration.validate()
        guard (1...64).contains(jobs) else {
            throw ManifoldLabError.invalidValue(parameter: "jobs", value: String(jobs), allowed: "1 to 64 simultaneous trainings")
        }
        let directory = try out.map { path throws(ManifoldLabError) in try RunDirectory(path: path) }
        Signals.install()  // Ctrl-C / SIGTERM: stop after the current step and write the files
        let progress = SharedProgress(label: "semi-supervised", unit: "steps")
        let result = try configuration.run(jobs: jobs) { progress.update($0, of: $1) }
        progress.finish()
        try report(result, directory: directory, out: out, format: format, header: header)
    }
}

extension SemiSupervisedResult: TrainingRunResult {
    static var plots: (script: String, pictures: [String]) { ("plots.gp", ["curves.png"]) }
    func writeFiles(to directory: RunDirectory) throws(ManifoldLabError) { _ = try write(to: directory) }
}
