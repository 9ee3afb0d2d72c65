import Foundation
import ManifoldLabCore

/// The outcome of `semi-supervised`: one run per seed, the mixture's Bayes accuracy, and what
/// stopped the runs early, if anything.
public struct SemiSupervisedResult: Sendable {
    public let configuration: SemiSupervisedConfiguration
    /// The runs that ran (in seed order); a run stopped by a fault holds its rows so far.
    public var runs: [SemiSupervisedRun]
    /// E[max_y p(y|x)] of the mixture (Monte Carlo over ``MixtureClassification/defaultBayesPoints``
    /// fresh points with the exact posterior) and its standard error.
    public let bayesAccuracy: Double, bayesAccuracyStandardError: Double
    public var seconds: Double

    /// The first run's fault (divergence, a signal, a pool too small for the labels).
    public var fault: ManifoldLabError? { runs.lazy.compactMap(\.fault).first }

    /// Runs that reached their last step.
    var finished: [SemiSupervisedRun] { runs.filter { $0.fault == nil } }
}

extension SemiSupervisedConfiguration {
    /// Trains the semi-supervised GAN and its baseline once per seed (`jobs` at a time, one thread
    /// each; the results do not depend on `jobs`). `progress` gets (steps done, steps planned).
    public func run(jobs: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ManifoldLabError) -> SemiSupervisedResult {
        try validate()
        let start = Date()
        let configuration = self, seeds = runSeeds, total = steps * seeds.count
        let counter = StepCounter()
        let results = runConcurrently(count: seeds.count, jobs: jobs, progress: nil) { index -> SemiSupervisedRun? in
            do throws(ManifoldLabError) {
                let trainer = try SemiSupervisedTrainer(configuration, seed: seeds[index])
                return trainer.run { progress?(counter.increment(), total) }
            } catch {
                return SemiSupervisedRun(seed: seeds[index].value, bayesTestAccuracy: .nan, fault: error)
            }
        }
        let bayes = MixtureClassification.bayesAccuracy(mixture!, seed: seed.child(.semiBayes))
        return SemiSupervisedResult(configuration: self, runs: results.compactMap { $0 }, bayesAccuracy: bayes.value,
                                    bayesAccuracyStandardError: bayes.standardError, seconds: Date().timeIntervalSince(start))
    }
}

/// A step count shared by concurrent runs (for the progress line).
private final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}

/// The JSON summary of `semi-supervised` (snake_case keys): the parameters, then the accuracies over
/// the finished runs' seeds, mean and sample std (null where undefined).
public struct SemiSupervisedSummary: Encodable, Sendable {
    public let data: String, dim: Int, classes: Int, modeStd: Double
    public let labels: Int, nUnlabelled: Int, testPoints: Int
    public let latent: Int, latentDist: String, hidden: Int, layers: Int, batch: Int, steps: Int, lr: Double
    public let supervisedWeight: Double, unsupervisedWeight: Double, gCost: String
    /// The first seed and the number of seeds (the runs use `--seed` … `--seed` + N − 1).
    public let seed: UInt64, seeds: Int, runsFinished: Int
    /// The semi-supervised classifier's test accuracy, the baseline's, and their paired difference.
    public let accuracy: Double, accuracyStd: Double
    public let baselineAccuracy: Double, baselineAccuracyStd: Double
    public let gain: Double, gainStd: Double, gainCi95: Double
    /// The mixture's Bayes accuracy (Monte Carlo, with its standard error), and the Bayes rule's
    /// accuracy on the runs' own test samples (mean over seeds).
    public let bayesAccuracy: Double, bayesAccuracyStderr: Double, bayesTestAccuracy: Double
    public let seconds: Double
    public let out: String?
    public let error: String?
    public let interrupted: Bool

    enum CodingKeys: String, CodingKey {
        case data, dim, classes, modeStd, labels, nUnlabelled, testPoints, latent, latentDist, hidden, layers, batch, steps, lr
        case supervisedWeight, unsupervisedWeight, gCost, seed, seeds, runsFinished
        case accuracy, accuracyStd, baselineAccuracy, baselineAccuracyStd, gain, gainStd, gainCi95
        case bayesAccuracy, bayesAccuracyStderr, bayesTestAccuracy, seconds, out, error, interrupted
    }

    /// Every key, an undefined one as null (never missing), so that every run of a sweep has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data); try c.encode(dim, forKey: .dim); try c.encode(classes, forKey: .classes)
        try c.encode(modeStd, forKey: .modeStd); try c.encode(labels, forKey: .labels)
        try c.encode(nUnlabelled, forKey: .nUnlabelled); try c.encode(testPoints, forKey: .testPoints)
        try c.encode(latent, forKey: .latent); try c.encode(latentDist, forKey: .latentDist); try c.encode(hidden, forKey: .hidden)
        try c.encode(layers, forKey: .layers); try c.encode(batch, forKey: .batch); try c.encode(steps, forKey: .steps)
        try c.encode(lr, forKey: .lr); try c.encode(supervisedWeight, forKey: .supervisedWeight)
        try c.encode(unsupervisedWeight, forKey: .unsupervisedWeight); try c.encode(gCost, forKey: .gCost)
        try c.encode(seed, forKey: .seed); try c.encode(seeds, forKey: .seeds); try c.encode(runsFinished, forKey: .runsFinished)
        try c.encode(accuracy, forKey: .accuracy); try c.encode(accuracyStd, forKey: .accuracyStd)
        try c.encode(baselineAccuracy, forKey: .baselineAccuracy); try c.encode(baselineAccuracyStd, forKey: .baselineAccuracyStd)
        try c.encode(gain, forKey: .gain); try c.encode(gainStd, forKey: .gainStd); try c.encode(gainCi95, forKey: .gainCi95)
        try c.encode(bayesAccuracy, forKey: .bayesAccuracy); try c.encode(bayesAccuracyStderr, forKey: .bayesAccuracyStderr)
        try c.encode(bayesTestAccuracy, forKey: .bayesTestAccuracy); try c.encode(seconds, forKey: .seconds)
        try c.encode(out, forKey: .out); try c.encode(error, forKey: .error); try c.encode(interrupted, forKey: .interrupted)
    }
}

/// manifest.json of a semi-supervised run: every parameter, the seeds and the files.
struct SemiSupervisedManifest: Encodable {
    let command = "semi-supervised"
    let version = ManifoldLabVersion.string
    let blasCore = BLASBackend.coreName
    let runID: String
    let parameters: SemiSupervisedSummary
    let configuration: SemiSupervisedConfiguration
    let seeds: [UInt64]
    let files: [String]
    enum CodingKeys: String, CodingKey { case command, version, blasCore = "blas_core", runID = "run_id", parameters, configuration, seeds, files }
}

extension SemiSupervisedResult {
    public func summary(out: String?) -> SemiSupervisedSummary {
        let c = configuration, runs = finished
        let accuracy = MeanStd(runs.map(\.accuracy)), baseline = MeanStd(runs.map(\.baselineAccuracy))
        let gain = MeanInterval(runs.map { $0.accuracy - $0.baselineAccuracy })
        let spread: (MeanStd) -> Double = { runs.count >= 2 ? $0.std : .nan }
        return SemiSupervisedSummary(
            data: c.data.kind.rawValue, dim: c.dimension, classes: c.mixture?.means.count ?? 0,
            modeStd: c.mixture?.standardDeviation ?? .nan, labels: c.labels, nUnlabelled: c.unlabelled, testPoints: c.testPoints,
            latent: c.latent, latentDist: c.latentDistribution.rawValue, hidden: c.hidden, layers: c.layers, batch: c.batch,
            steps: c.steps, lr: c.learningRate, supervisedWeight: c.supervisedWeight, unsupervisedWeight: c.unsupervisedWeight,
            gCost: c.generatorCost.rawValue, seed: c.seed.value, seeds: c.seeds, runsFinished: runs.count,
            accuracy: runs.isEmpty ? .nan : accuracy.mean, accuracyStd: spread(accuracy),
            baselineAccuracy: runs.isEmpty ? .nan : baseline.mean, baselineAccuracyStd: spread(baseline),
            gain: runs.isEmpty ? .nan : gain.mean, gainStd: runs.count >= 2 ? gain.std : .nan, gainCi95: gain.halfWidth,
            bayesAccuracy: bayesAccuracy, bayesAccuracyStderr: bayesAccuracyStandardError,
            bayesTestAccuracy: runs.isEmpty ? .nan : MeanStd(runs.map(\.bayesTestAccuracy)).mean,
            seconds: seconds, out: out, error: fault?.description,
            interrupted: { if case .interrupted = fault { true } else { false } }())
    }

    /// `metrics.csv`: every run's rows, seed by seed.
    public var metricsCSV: String {
        var table = CSVTable(header: SemiSupervisedRecord.csvHeader)
        for run in runs { for record in run.records { table.append(record.csvCells) } }
        return table.text
    }

    /// `runs.csv`: one row per seed with its final accuracies.
    public var runsCSV: String {
        var table = CSVTable(header: ["seed", "steps_run", "accuracy", "baseline_accuracy", "bayes_test_accuracy", "seconds", "error"])
        for run in runs {
            table.append([String(run.seed), String(run.records.last?.step ?? 0)]
                         + [run.accuracy, run.baselineAccuracy, run.bayesTestAccuracy, run.seconds].map(NumberFormat.text)
                         + [run.fault?.description ?? ""])
        }
        return table.text
    }

    /// Writes metrics.csv, runs.csv, plots.gp (and with gnuplot curves.png) and manifest.json.
    @discardableResult
    public func write(to directory: RunDirectory) throws(ManifoldLabError) -> [String] {
        var files = ["metrics.csv", "runs.csv", "plots.gp"]
        try directory.write("metrics.csv", metricsCSV)
        try directory.write("runs.csv", runsCSV)
        if try directory.plot(script: Self.gnuplotScript(bayes: bayesAccuracy, seeds: runs.map(\.seed)), name: "plots.gp") == .drawn {
            files.append("curves.png")
        }
        files.append("manifest.json")
        try directory.write("manifest.json", JSONOutput.pretty(SemiSupervisedManifest(
            runID: directory.runID, parameters: summary(out: directory.path), configuration: configuration,
            seeds: configuration.runSeeds.map(\.value), files: files)))
        return files
    }

    /// Test accuracy over steps, semi-supervised (solid) and baseline (dashed) for each seed, and
    /// the Bayes accuracy as a dotted line; the losses beside.
    static func gnuplotScript(bayes: Double, seeds: [UInt64]) -> String {
        let accuracy = seeds.map { "'metrics.csv' using 2:($1 == \($0) ? $6 : NaN) with lines dashtype 1 lc 1 title \(seeds.count == 1 ? "'semi-supervised'" : "'semi-supervised, seed \($0)'")" }
        let baseline = seeds.map { "'metrics.csv' using 2:($1 == \($0) ? $8 : NaN) with lines dashtype 2 lc 2 title \(seeds.count == 1 ? "'baseline (labels only)'" : "'baseline, seed \($0)'")" }
        return """
        # Written by manifoldlab semi-supervised; run `gnuplot plots.gp` in this directory.
        set datafile separator comma
        set datafile missing ''
        set terminal pngcairo size 1100,500 noenhanced
        set output 'curves.png'
        set multiplot layout 1,2
        set xlabel 'step'
        set key bottom right
        set title 'test accuracy'
        set ylabel 'fraction of test points classified right'
        plot \((accuracy + baseline).joined(separator: ", \\\n     ")), \\
             \(NumberFormat.text(bayes)) with lines dashtype 3 lc 0 title 'Bayes accuracy'
        set title 'costs (first seed)'
        set ylabel 'nats'
        set key top right
        set logscale y
        plot 'metrics.csv' using 2:($1 == \(seeds.first ?? 0) ? $3 : NaN) with lines dashtype 1 title 'D supervised', \\
             '' using 2:($1 == \(seeds.first ?? 0) ? $4 : NaN) with lines dashtype 2 title 'D unsupervised', \\
             '' using 2:($1 == \(seeds.first ?? 0) ? $7 : NaN) with lines dashtype 3 title 'baseline supervised'
        unset multiplot
        """ + "\n"
    }

    /// A few readable lines.
    public func text(out: String?) -> String {
        let c = configuration, s = summary(out: out)
        let f: (Double) -> String = { $0.isFinite ? String(format: "%.4f", $0) : "undefined" }
        let spread: (Double) -> String = { $0.isFinite ? " ± " + String(format: "%.4f", $0) : "" }
        var lines = ["semi-supervised: \(c.data.kind.rawValue) (\(s.classes) classes, mode std \(NumberFormat.text(s.modeStd))) in R^\(c.dimension), "
                     + "\(c.labels) labels per class of \(c.unlabelled) points, G by \(c.generatorCost.rawValue), \(c.layers)×\(c.hidden) hidden, "
                     + "\(c.steps) steps, lr \(NumberFormat.text(c.learningRate)), "
                     + (c.seeds == 1 ? "seed \(c.seed.value)" : "seeds \(c.seed.value)…\(c.seed.value + UInt64(c.seeds - 1))"),
                     "test accuracy over \(s.runsFinished) seed\(s.runsFinished == 1 ? "" : "s") (\(c.testPoints) fresh points each; ± is the std over seeds):",
                     "  semi-supervised GAN    \(f(s.accuracy))\(spread(s.accuracyStd))",
                     "  baseline (labels only) \(f(s.baselineAccuracy))\(spread(s.baselineAccuracyStd))",
                     "  gain                   \(f(s.gain))\(s.gainCi95.isFinite ? " (95 % interval ± " + String(format: "%.4f", s.gainCi95) + ")" : "")",
                     "  Bayes accuracy         \(f(s.bayesAccuracy)) ± \(String(format: "%.4f", s.bayesAccuracyStderr)) (E max p(y|x), Monte Carlo); the Bayes rule on the test points: \(f(s.bayesTestAccuracy))",
                     String(format: "%.1f s", seconds)]
        lines.append(out.map { "files in \($0): metrics.csv, runs.csv, manifest.json, plots.gp" + (RunDirectory.gnuplot != nil ? ", curves.png" : "") }
                     ?? "no files written (give \(parameter: "out") DIR for metrics.csv, runs.csv, manifest.json and plots)")
        return lines.joined(separator: "\n") + "\n"
    }
}
