import Foundation
import ManifoldLabCore

/// The JSON summary of `train-toy` (snake_case keys): the parameters, the final metrics and timings.
public struct TrainingSummary: Encodable, Sendable {
    public let data: String
    public let dim: Int
    public let latent: Int
    public let latentDist: String
    public let generator: String
    public let hidden: Int
    public let layers: Int
    public let batch: Int
    public let steps: Int
    public let stepsRun: Int
    public let dSteps: Int
    public let loss: String
    public let noise: Double
    public let noiseAnneal: Bool
    public let lr: Double
    public let optimizer: String
    public let gamma: Double
    public let clip: Double
    public let precision: String
    public let seed: Seed
    public let logEvery: Int
    public let w1Method: String
    /// The Improved-GAN techniques switched on.
    public let techniques: TechniquesSummary
    public let final: TrainingRecord?
    /// The final record's mode metrics (ring and grid data; null otherwise) and W1, repeated at
    /// the top level for sweeps.
    public let modesCovered: Int?
    public let modes: Int?
    public let highQualityFraction: Double?
    public let modeKL: Double?
    public let offPlane: Double?
    public let w1: Double?
    public let seconds: Double
    public let secondsToFirstStep: Double
    public let stepsPerSecond: Double
    public let out: String?
    public let error: String?
    /// True when SIGINT, SIGTERM, SIGHUP or SIGQUIT stopped the run before its last step.
    public let interrupted: Bool

    enum CodingKeys: String, CodingKey {
        case interrupted
        case data, dim, latent, latentDist = "latent_dist", generator, hidden, layers, batch, steps
        case stepsRun = "steps_run", dSteps = "d_steps", loss, noise, noiseAnneal = "noise_anneal", lr, optimizer
        case gamma, clip, precision, seed, logEvery = "log_every", w1Method = "w1_method", techniques, final, seconds
        case modesCovered = "modes_covered", modes, highQualityFraction = "high_quality_fraction", modeKL = "mode_kl", offPlane = "off_plane", w1
        case secondsToFirstStep = "seconds_to_first_step", stepsPerSecond = "steps_per_second", out, error
    }

    /// Every key, an undefined one as null (never missing), so that every run of a sweep has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encode(data, forKey: .data)
        try c.encode(dim, forKey: .dim)
        try c.encode(latent, forKey: .latent)
        try c.encode(latentDist, forKey: .latentDist)
        try c.encode(generator, forKey: .generator)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(layers, forKey: .layers)
        try c.encode(batch, forKey: .batch)
        try c.encode(steps, forKey: .steps)
        try c.encode(stepsRun, forKey: .stepsRun)
        try c.encode(dSteps, forKey: .dSteps)
        try c.encode(loss, forKey: .loss)
        try c.encode(noise, forKey: .noise)
        try c.encode(noiseAnneal, forKey: .noiseAnneal)
        try c.encode(lr, forKey: .lr)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encode(gamma, forKey: .gamma)
        try c.encode(clip, forKey: .clip)
        try c.encode(precision, forKey: .precision)
        try c.encode(seed, forKey: .seed)
        try c.encode(logEvery, forKey: .logEvery)
        try c.encode(w1Method, forKey: .w1Method)
        try c.encode(techniques, forKey: .techniques)
        try c.encode(final, forKey: .final)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(modesCovered, forKey: .modesCovered)
        try c.encode(modes, forKey: .modes)
        try c.encode(highQualityFraction, forKey: .highQualityFraction)
        try c.encode(modeKL, forKey: .modeKL)
        try c.encode(offPlane, forKey: .offPlane)
        try c.encode(w1, forKey: .w1)
        try c.encode(secondsToFirstStep, forKey: .secondsToFirstStep)
        try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
        try c.encode(out, forKey: .out)
        try c.encode(error, forKey: .error)
    }
}

/// The techniques of a run, as JSON: `minibatch_disc` is [B, C] or null.
public struct TechniquesSummary: Encodable, Sendable {
    public let featureMatching: Bool
    public let minibatchDisc: MinibatchShape?
    public let historicalAvg: Double
    public let labelSmoothing: Double
    public let virtualBatchnorm: Bool
    public let label: String

    init(_ t: Techniques) {
        featureMatching = t.featureMatching
        minibatchDisc = t.minibatchDiscrimination
        historicalAvg = t.historicalAveraging
        labelSmoothing = t.labelSmoothing
        virtualBatchnorm = t.virtualBatchNorm
        label = t.label
    }

    enum CodingKeys: String, CodingKey {
        case featureMatching = "feature_matching", minibatchDisc = "minibatch_disc", historicalAvg = "historical_avg"
        case labelSmoothing = "label_smoothing", virtualBatchnorm = "virtual_batchnorm", label
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(featureMatching, forKey: .featureMatching)
        try c.encode(minibatchDisc, forKey: .minibatchDisc) // null when off
        try c.encode(historicalAvg, forKey: .historicalAvg)
        try c.encode(labelSmoothing, forKey: .labelSmoothing)
        try c.encode(virtualBatchnorm, forKey: .virtualBatchnorm)
        try c.encode(label, forKey: .label)
    }
}

/// `manifest.json`: everything needed to rerun and to compare runs.
public struct TrainingManifest: Encodable, Sendable {
    public let command = "train-toy"
    public let version = ManifoldLabVersion.string
    public let blasCore = BLASBackend.coreName
    /// The run's id (``RunDirectory/runID``), also in `generator.json`: `walk` refuses a pair that differs.
    public let runID: String
    public let parameters: TrainingSummary
    /// The whole configuration, as decoded again by `walk` to rebuild the data's placement exactly.
    public let configuration: TrainingConfiguration
    public let files: [String]

    enum CodingKeys: String, CodingKey { case command, version, blasCore = "blas_core", runID = "run_id", parameters, configuration, files }
}

extension TrainingResult {
    public func summary(out: String?) -> TrainingSummary {
        let c = configuration
        return TrainingSummary(
            data: c.data.kind.rawValue, dim: c.dimension, latent: c.latent, latentDist: c.latentDistribution.rawValue,
            generator: c.generator.rawValue, hidden: c.hidden, layers: c.layers, batch: c.batch, steps: c.steps,
            stepsRun: stepsRun, dSteps: c.discriminatorSteps, loss: c.loss.rawValue, noise: c.noise,
            noiseAnneal: c.noiseAnneal, lr: c.learningRate, optimizer: c.optimizer.rawValue, gamma: c.gamma,
            clip: c.clip, precision: c.precision.rawValue, seed: c.seed, logEvery: c.logEvery, w1Method: c.w1.rawValue,
            techniques: TechniquesSummary(c.techniques), final: records.last,
            modesCovered: modeCoverage?.modesCovered, modes: modeCoverage?.modes,
            highQualityFraction: modeCoverage?.highQualityFraction, modeKL: modeCoverage?.modeKL, offPlane: modeCoverage?.meanOffPlane, w1: records.last?.w1,
            seconds: seconds, secondsToFirstStep: secondsToFirstStep,
            stepsPerSecond: stepsPerSecond, out: out, error: fault?.description,
            interrupted: { if case .interrupted = fault { true } else { false } }())
    }

    /// `metrics.csv`: one row per record.
    public var metricsCSV: String {
        var table = CSVTable(header: TrainingRecord.csvHeader)
        for record in records { table.append(record.csvCells) }
        return table.text
    }

    /// `samples.csv`: the final generated points, header x1,…,xD.
    public var samplesCSV: String {
        var text = ""
        samples.writeCSV { text += $0 }
        return text
    }

    /// `projected.csv`: data and generated evaluation points in the data's plane: kind,u1,u2 with u
    /// the coordinates along the data frame's first two axes (for a one-dimensional span, u2 is the
    /// distance to the data's flat).
    public var projectedCSV: String {
        var table = CSVTable(header: ["kind", "u1", "u2"])
        for (kind, points) in [("data", data), ("generated", samples)] {
            for i in 0..<points.rows {
                let (u, distance) = embedding.project(points.row(i))
                let second = u.count >= 2 ? u[1] : distance
                table.append([kind, NumberFormat.text(u[0]), NumberFormat.text(second)])
            }
        }
        return table.text
    }

    /// Writes metrics.csv, samples.csv, projected.csv, manifest.json, plots.gp and (with gnuplot) the plots.
    /// Returns the names of the files written.
    @discardableResult
    public func write(to directory: RunDirectory) throws(ManifoldLabError) -> [String] {
        var files = ["metrics.csv", "samples.csv", "projected.csv"]
        try directory.write("metrics.csv", metricsCSV)
        try directory.write("samples.csv", samplesCSV)
        try directory.write("projected.csv", projectedCSV)
        if try writeGenerator(to: directory, runID: directory.runID) { files.append("generator.json") }
        if !records.isEmpty {
            files.append("plots.gp")
            if try directory.plot(script: Self.gnuplotScript(smoothedJS: records.contains { $0.smoothedJS != nil }),
                                  name: "plots.gp") == .drawn {
                files += ["curves.png", "samples.png"]
            }
        }
        files.append("manifest.json")
        try directory.write("manifest.json", JSONOutput.pretty(TrainingManifest(runID: directory.runID, parameters: summary(out: directory.path),
                                                                                   configuration: configuration, files: files)))
        return files
    }

    static func gnuplotScript(smoothedJS: Bool) -> String {
        """
        # Written by manifoldlab train-toy; run `gnuplot plots.gp` in this directory.
        set datafile separator comma
        set datafile missing ''
        set terminal pngcairo size 1000,700 noenhanced
        set output 'curves.png'
        set multiplot layout 2,2
        set key autotitle columnhead
        set xlabel 'generator step'
        set logscale y
        set title 'generator gradient norm'
        plot 'metrics.csv' using 1:7 with lines, '' using 1:8 with lines, '' using 1:9 with lines
        unset logscale y
        set title 'D accuracy'
        set yrange [0:1.05]
        plot 'metrics.csv' using 1:5 with lines, '' using 1:6 with lines
        set autoscale y
        set title 'JS (nats)'
        plot 'metrics.csv' using 1:10 with lines\(smoothedJS ? ", '' using 1:12:13 with yerrorlines" : "")
        set title 'W1 data vs generated'
        plot 'metrics.csv' using 1:11 with lines
        unset multiplot
        set terminal pngcairo size 700,600 noenhanced
        set output 'samples.png'
        set title 'evaluation points in the data frame (u1, u2)'
        set xlabel 'u1'
        set ylabel 'u2'
        plot 'projected.csv' using 2:(strcol(1) eq 'data' ? $3 : NaN) with points pt 7 ps 0.3 title 'data', \\
             '' using 2:(strcol(1) eq 'generated' ? $3 : NaN) with points pt 7 ps 0.3 title 'generated'
        """ + "\n"
    }

    /// A few readable lines.
    public func text(out: String?) -> String {
        let c = configuration
        let f: (Double) -> String = NumberFormat.short
        var lines = ["train-toy: \(c.data.kind.rawValue) in R^\(c.dimension), \(c.generator.rawValue) G (latent \(c.latent), \(c.latentDistribution.rawValue)), "
            + "\(c.layers)×\(c.hidden) hidden, loss \(c.loss.rawValue), σ = \(NumberFormat.text(c.noise))\(c.noiseAnneal ? " annealed to 0" : ""), "
            + "\(c.optimizer.rawValue) lr \(NumberFormat.text(c.learningRate)), \(c.precision.rawValue), seed \(c.seed)"
            + (c.techniques.isEmpty ? "" : "; techniques: \(c.techniques.label)")]
        if let r = records.last {
            lines.append("after \(r.step) of \(c.steps) steps:")
            lines.append("  D accuracy           real \(f(r.accuracyReal)), fake \(f(r.accuracyFake))")
            lines.append("  G gradient norm      minimax \(f(r.generatorGradientMinimax)), −log D \(f(r.generatorGradientNonsat))"
                         + "   (\(c.loss.trainingCost) trains)")
            if let first = records.first, first.generatorGradientMinimax > 0, r.generatorGradientMinimax > 0 {
                let orders = log10(first.generatorGradientMinimax / r.generatorGradientMinimax)
                lines.append("                       (minimax: \(f(first.generatorGradientMinimax)) at step \(first.step), \(String(format: "%+.2f", -orders)) orders of magnitude since)")
            }
            lines.append("  mean ‖∇ₓD‖ at fakes  \(f(r.discriminatorInputGradient))")
            lines.append("  JS lower bound       \(f(r.jsLowerBound)) nats (log 2 = 0.6931)\(r.smoothedJS.map { ", smoothed JS \(f($0))" } ?? "")\(r.smoothedJSStandardError.map { " ± \(f($0))" } ?? "")"
                         + (r.smoothedJSNote.map { ", smoothed JS \($0)" } ?? ""))
            lines.append("  W1 data–generated    \(f(r.w1)) (\(c.w1.rawValue), \(c.evaluationPoints) points each)")
            if let m = modeCoverage {
                lines.append("  modes covered        \(m.modesCovered) of \(m.modes); high quality \(f(m.highQualityFraction)); "
                             + "mode KL \(m.modeKL.map(f) ?? "undefined (no high-quality sample)"); "
                             + "mean distance off the plane \(f(m.meanOffPlane)) (\(ModeCoverage.sampleCount) samples)")
            }
        }
        lines.append(String(format: "%.1f steps/s, %.2f s in all (%.2f s of diagnostics), first step after %.0f ms",
                            stepsPerSecond, seconds, diagnosticSeconds, secondsToFirstStep * 1000))
        lines.append(out.map { "files in \($0): metrics.csv, samples.csv, projected.csv, \(generator == nil ? "" : "generator.json, ")manifest.json, plots.gp" + (RunDirectory.gnuplot != nil ? ", curves.png, samples.png" : "") }
                     ?? "no files written (give \(parameter: "out") DIR for metrics.csv, samples.csv, manifest.json and plots)")
        return lines.joined(separator: "\n") + "\n"
    }
}
