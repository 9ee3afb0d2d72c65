import ArgumentParser
import Foundation
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab compare-techniques`: every Improved-GAN technique over several seeds on a mixture
/// with known modes, as a table of mean ± std of the mode-collapse metrics.
struct CompareTechniquesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-techniques",
        abstract: "Train the GAN with each Improved-GAN technique over several seeds and tabulate mode coverage.",
        discussion: """
        Each arm changes the base run (the train-toy options below) in one way: plain; --feature-matching; \
        --minibatch-disc B,C; --historical-avg λ; --label-smoothing α; --virtual-batchnorm (in G, against a \
        fixed reference batch); instance noise σ annealed to 0; the R1 \
        penalty (loss r1). Every arm runs once per seed (seeds 1…N) and is scored on 2500 samples by the \
        Unrolled-GAN/VEEGAN/PacGAN protocol: modes covered, fraction of high-quality samples (within 3 std of \
        the nearest mode, after projection on the data's plane), KL of the mode histogram to uniform, and W1 \
        to the data. The table gives mean ± std over seeds and how many runs missed a mode.

        Defaults: ring (8 modes, std 0.01) in R^64, latent 2, nonsat loss, Adam lr 1e-3 (β₁ 0.5), 2 hidden \
        layers of 128, batch 256, 2000 steps. --jobs N runs N trainings at once, one thread each.
        --out DIR writes runs.csv (one row per run), summary.csv (the table) and manifest.json; after \
        Ctrl-C (exit 130) it holds the runs that finished, and the manifest says "interrupted".
        """
    )

    @OptionGroup var model: ToyModelOptionGroup

    @Option(help: "Number of seeds per arm: runs with --seed 1…N (a count, not a seed; each arm sees the same N seeds, so arms differ only by their technique).")
    var seeds: Int = 5

    @Option(help: "Generator updates per run.")
    var steps: Int = 2000

    @Option(help: "Batch size B.")
    var batch: Int = 256

    @Option(help: "Base loss (nonsat or minimax; the r1 arm replaces it).")
    var loss: GANLoss = .nonsat

    @Option(help: "Learning rate of both players.")
    var lr: Double = 1e-3

    @Option(name: .customLong("minibatch-disc"), help: ArgumentHelp("B,C of the minibatch-discrimination arm.", valueName: "B,C"))
    var minibatchDisc: String = "8,4"

    @Option(name: .customLong("historical-avg"), help: ArgumentHelp("λ of the historical-averaging arm.", valueName: "λ"))
    var historicalAvg: Double = 0.1

    @Option(name: .customLong("label-smoothing"), help: ArgumentHelp("α of the label-smoothing arm.", valueName: "α"))
    var labelSmoothing: Double = 0.9

    @Option(help: "σ of the instance-noise arm (annealed linearly to 0).")
    var noise: Double = 0.1

    @Option(help: "Only these arms, comma-separated (plain, feature-matching, minibatch-disc, historical-avg, label-smoothing, virtual-batchnorm, instance-noise, r1).")
    var only: String?

    @Option(help: "Trainings run at once (one thread each).")
    var jobs: Int = 1

    @Option(help: "A directory (several files): runs.csv, summary.csv and manifest.json (created).", completion: .directory)
    var out: String?

    @Option(help: "text (a table), csv (the table) or json (one object per arm).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    func run() throws {
        try header.check(csv: format == .csv)
        let comparison = try makeComparison()
        try comparison.validate()
        guard (1...64).contains(jobs) else {
            throw ManifoldLabError.invalidValue(parameter: "jobs", value: String(jobs), allowed: "1 to 64 simultaneous trainings")
        }
        let directory = try out.map { path throws(ManifoldLabError) in try RunDirectory(path: path) }
        Signals.install()
        let progress = SharedProgress(label: "compare-techniques")
        let start = Date()
        let outcome = try comparison.run(jobs: jobs) { progress.update($0, of: $1) }
        progress.finish()
        let runs = outcome.runs, rows = comparison.table(runs)
        if let directory {
            try write(runs: runs, rows: rows, comparison: comparison, seconds: Date().timeIntervalSince(start),
                      interruption: outcome.interruption, to: directory)
        }
        // Interrupted: the finished runs are on disk (with --out), and nothing partial goes to stdout.
        if let signal = outcome.interruption {
            throw ManifoldLabError.interruptedComparison(finished: runs.count, planned: outcome.planned,
                                                         signal: signal, written: directory != nil)
        }
        switch format {
        case .csv: StandardOutput.write(header.table(Self.csv(rows)))
        case .json: for row in rows { StandardOutput.write(JSONOutput.line(RowSummary(row)) + "\n") }
        case .text: StandardOutput.write(Self.text(rows, comparison: comparison))
        }
    }

    func makeComparison() throws(ManifoldLabError) -> TechniqueComparison {
        let model = try self.model.resolved(defaultData: .ring, defaultLatent: 2)
        let base = TrainingConfiguration(
            data: model.data, dimension: self.model.dim, latent: model.latentSize, latentDistribution: model.latent,
            generator: model.generator, hidden: self.model.hidden, layers: self.model.layers, batch: batch, steps: steps,
            loss: loss, learningRate: lr, seed: Seed(1),
            logEvery: max(steps, 1), smoothedJSEvery: 0)
        var variants = TechniqueVariant.standard(minibatch: try MinibatchShape.parse(minibatchDisc),
                                                 historicalAveraging: historicalAvg, labelSmoothing: labelSmoothing,
                                                 noise: noise)
        if let only {
            let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names where !variants.contains(where: { $0.name == name }) {
                throw .invalidValue(parameter: "only", value: name, allowed: "arms among \(variants.map(\.name).joined(separator: ", "))")
            }
            variants = variants.filter { names.contains($0.name) }
        }
        guard (1...1000).contains(seeds) else {
            throw .invalidValue(parameter: "seeds", value: String(seeds), allowed: "1 to 1000 seeds")
        }
        return TechniqueComparison(base: base, variants: variants, seeds: (1...UInt64(seeds)).map { $0 })
    }

    static func csv(_ rows: [ComparisonRow]) -> String {
        var table = CSVTable(header: ComparisonRow.csvHeader)
        for row in rows { table.append(row.csvCells) }
        return table.text
    }

    static func text(_ rows: [ComparisonRow], comparison: TechniqueComparison) -> String {
        let c = comparison.base
        // A mean over runs one of which failed is NaN: never printed (docs/reliability.md), the runs' errors say why.
        let pm: (MeanStd, String) -> String = {
            $0.mean.isFinite && $0.std.isFinite ? String(format: $1 + " ± " + $1, $0.mean, $0.std) : "not computable"
        }
        var lines = ["compare-techniques: \(c.data.kind.rawValue) in R^\(c.dimension), latent \(c.latent), loss \(c.loss.rawValue), "
                     + "\(c.steps) steps, lr \(NumberFormat.text(c.learningRate)), seeds 1…\(comparison.seeds.count)",
                     "technique          modes covered   high quality     mode KL (nats)     W1              runs missing a mode"]
        for row in rows {
            let kl = row.modeKL.map { pm($0, "%.3f") + (row.klRuns < row.runs ? " (\(row.klRuns) of \(row.runs) runs)" : "") } ?? "undefined"
            lines.append(Self.column(row.technique, 19) + Self.column("\(pm(row.modesCovered, "%.1f")) of \(row.modes)", 16)
                         + Self.column(pm(row.highQualityFraction, "%.3f"), 17) + Self.column(kl, 19)
                         + Self.column(pm(row.w1, "%.3f"), 16)
                         + "\(row.collapsedRuns) of \(row.runs)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` padded to `width`, or followed by one space when longer (never cut).
    static func column(_ text: String, _ width: Int) -> String {
        text.count < width ? text.padding(toLength: width, withPad: " ", startingAt: 0) : text + " "
    }

    func write(runs: [ComparisonRun], rows: [ComparisonRow], comparison: TechniqueComparison, seconds: Double,
               interruption: String?, to directory: RunDirectory) throws(ManifoldLabError) {
        var table = CSVTable(header: ["technique", "seed", "modes_covered", "modes", "high_quality_fraction", "mode_kl",
                                      "off_plane", "w1", "seconds", "error", "precision", "recall", "coverage", "inception_score"])
        for r in runs {
            let optional = [r.precision, r.recall, r.coverage, r.inceptionScore].map { $0.map(NumberFormat.text) ?? "" }
            table.append([r.technique, String(r.seed), String(r.modesCovered), String(r.modes),
                          NumberFormat.text(r.highQualityFraction), r.modeKL.map(NumberFormat.text) ?? "",
                          NumberFormat.text(r.offPlane), NumberFormat.text(r.w1), NumberFormat.text(r.seconds), r.error ?? ""] + optional)
        }
        try directory.write("runs.csv", table.text)
        try directory.write("summary.csv", Self.csv(rows))
        try directory.write("manifest.json", JSONOutput.pretty(ComparisonManifest(
            runID: directory.runID, base: comparison.base, arms: comparison.variants.map(\.name), seeds: comparison.seeds, jobs: jobs,
            minibatchDisc: try MinibatchShape.parse(minibatchDisc), historicalAvg: historicalAvg, labelSmoothing: labelSmoothing, noise: noise,
            seconds: seconds, runsFinished: runs.count, signal: interruption)))
    }
}

/// One arm of the table as a JSON object.
private struct RowSummary: Encodable {
    let technique: String, runs: Int, modes: Int
    let modesCoveredMean: Double, modesCoveredStd: Double
    let highQualityFractionMean: Double, highQualityFractionStd: Double
    let modeKLMean: Double?, modeKLStd: Double?, modeKLRuns: Int
    let w1Mean: Double, w1Std: Double, collapsedRuns: Int
    let intervals: [String: MeanInterval]

    init(_ r: ComparisonRow) {
        intervals = r.intervals
        technique = r.technique; runs = r.runs; modes = r.modes
        modesCoveredMean = r.modesCovered.mean; modesCoveredStd = r.modesCovered.std
        highQualityFractionMean = r.highQualityFraction.mean; highQualityFractionStd = r.highQualityFraction.std
        modeKLMean = r.modeKL?.mean; modeKLStd = r.modeKL?.std; modeKLRuns = r.klRuns
        w1Mean = r.w1.mean; w1Std = r.w1.std; collapsedRuns = r.collapsedRuns
    }

    enum CodingKeys: String, CodingKey {
        case technique, runs, modes, modesCoveredMean = "modes_covered_mean", modesCoveredStd = "modes_covered_std"
        case highQualityFractionMean = "high_quality_fraction_mean", highQualityFractionStd = "high_quality_fraction_std"
        case modeKLMean = "mode_kl_mean", modeKLStd = "mode_kl_std", modeKLRuns = "mode_kl_runs"
        case w1Mean = "w1_mean", w1Std = "w1_std", collapsedRuns = "collapsed_runs"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(technique, forKey: .technique); try c.encode(runs, forKey: .runs); try c.encode(modes, forKey: .modes)
        try c.encode(modesCoveredMean, forKey: .modesCoveredMean); try c.encode(modesCoveredStd, forKey: .modesCoveredStd)
        try c.encode(highQualityFractionMean, forKey: .highQualityFractionMean)
        try c.encode(highQualityFractionStd, forKey: .highQualityFractionStd)
        try c.encode(modeKLMean, forKey: .modeKLMean); try c.encode(modeKLStd, forKey: .modeKLStd) // null when undefined
        try c.encode(modeKLRuns, forKey: .modeKLRuns)
        try c.encode(w1Mean, forKey: .w1Mean); try c.encode(w1Std, forKey: .w1Std); try c.encode(collapsedRuns, forKey: .collapsedRuns)
        // The 95 % intervals, under the same keys as summary.csv's columns.
        var extra = encoder.container(keyedBy: AnyKey.self)
        for name in ComparisonRow.intervalMetrics {
            guard let interval = intervals[name] else { continue }
            if !["modes_covered", "high_quality_fraction", "w1"].contains(name) { try extra.encode(interval.mean, forKey: AnyKey(name + "_mean")) }
            try extra.encode(interval.halfWidth, forKey: AnyKey(name + "_ci95"))
        }
    }

    /// A key made at run time (the interval columns).
    struct AnyKey: CodingKey {
        let stringValue: String
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

/// manifest.json of a comparison: the base configuration, the arms and their settings.
private struct ComparisonManifest: Encodable {
    let command = "compare-techniques"
    let version = ManifoldLabVersion.string
    /// The comparison's id (``RunDirectory/runID``).
    let runID: String
    let base: TrainingConfiguration
    let arms: [String]
    let seeds: [UInt64]
    let jobs: Int
    let minibatchDisc: MinibatchShape
    let historicalAvg: Double
    let labelSmoothing: Double
    let noise: Double
    let seconds: Double
    let runsFinished: Int
    /// The signal that stopped the comparison early (null when every run finished); `interrupted`
    /// is the same Bool as in train-toy's and vanish's manifests.
    let signal: String?

    enum CodingKeys: String, CodingKey {
        case command, version, runID = "run_id", base, arms, seeds, jobs, minibatchDisc = "minibatch_disc"
        case historicalAvg = "historical_avg", labelSmoothing = "label_smoothing", noise, seconds
        case runsFinished = "runs_finished", interrupted, signal, blasCore = "blas_core"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command); try c.encode(version, forKey: .version); try c.encode(base, forKey: .base)
        try c.encode(runID, forKey: .runID)
        try c.encode(arms, forKey: .arms); try c.encode(seeds, forKey: .seeds); try c.encode(jobs, forKey: .jobs)
        try c.encode(minibatchDisc, forKey: .minibatchDisc); try c.encode(historicalAvg, forKey: .historicalAvg)
        try c.encode(labelSmoothing, forKey: .labelSmoothing); try c.encode(noise, forKey: .noise)
        try c.encode(seconds, forKey: .seconds); try c.encode(runsFinished, forKey: .runsFinished)
        try c.encode(signal != nil, forKey: .interrupted)
        try c.encode(signal, forKey: .signal)  // null when complete
        try c.encode(BLASBackend.coreName, forKey: .blasCore)
    }
}
