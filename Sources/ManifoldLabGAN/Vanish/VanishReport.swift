import Foundation
import ManifoldLabCore

/// The JSON summary of `vanish` (snake_case keys).
public struct VanishSummary: Encodable, Sendable {
    public let data: String
    public let dim: Int
    public let latent: Int
    public let generator: String
    public let hidden: Int
    public let layers: Int
    public let dLayers: Int
    public let batch: Int
    public let pretrainSteps: Int
    public let steps: Int
    public let optimizer: String
    public let lr: Double
    public let noise: Double
    /// D's real-data target α (1: no label smoothing).
    public let labelSmoothing: Double
    public let offset: Double
    public let seed: Seed
    public let precision: String
    public let ordersOfMagnitude: Double
    public let finalDAccuracy: Double?
    public let stepsToFullAccuracy: Int?
    public let minimaxPeakMean: Double?
    public let minimaxFinalMean: Double?
    public let nonsatInitialMean: Double?
    public let nonsatFinalMean: Double?
    public let nonsatInitialStd: Double?
    public let nonsatFinalStd: Double?
    public let plateau: Plateau?
    public let closedForm: ParallelSegmentsClosedForm?
    public let seconds: Double
    public let out: String?
    /// True when SIGINT, SIGTERM, SIGHUP or SIGQUIT stopped the run early.
    public let interrupted: Bool

    /// Means over the second half of the records (standard errors of those means beside them).
    public struct Plateau: Encodable, Sendable {
        public let dAccuracy: Double
        public let dLoss: Double
        public let minimaxOffset: Double
        public let minimaxOffsetStderr: Double
        public let nonsatOffset: Double
        public let nonsatOffsetStderr: Double

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dAccuracy = "d_accuracy", dLoss = "d_loss", minimaxOffset = "slope_minimax"
            case minimaxOffsetStderr = "slope_minimax_stderr", nonsatOffset = "slope_nonsat"
            case nonsatOffsetStderr = "slope_nonsat_stderr"
        }
    }

    enum CodingKeys: String, CodingKey {
        case data, dim, latent, generator, hidden, layers, dLayers = "d_layers", batch
        case pretrainSteps = "pretrain_steps", steps, optimizer, lr, noise, offset, seed, precision
        case labelSmoothing = "label_smoothing"
        case ordersOfMagnitude = "orders_of_magnitude", finalDAccuracy = "final_d_accuracy"
        case stepsToFullAccuracy = "steps_to_full_accuracy", minimaxPeakMean = "g_grad_minimax_peak_mean"
        case minimaxFinalMean = "g_grad_minimax_final_mean", nonsatInitialMean = "g_grad_nonsat_initial_mean"
        case nonsatFinalMean = "g_grad_nonsat_final_mean", nonsatInitialStd = "g_grad_nonsat_initial_std"
        case nonsatFinalStd = "g_grad_nonsat_final_std", plateau, closedForm = "closed_form", seconds, out, interrupted
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data); try c.encode(dim, forKey: .dim); try c.encode(latent, forKey: .latent)
        try c.encode(generator, forKey: .generator); try c.encode(hidden, forKey: .hidden)
        try c.encode(layers, forKey: .layers); try c.encode(dLayers, forKey: .dLayers); try c.encode(batch, forKey: .batch)
        try c.encode(pretrainSteps, forKey: .pretrainSteps); try c.encode(steps, forKey: .steps)
        try c.encode(optimizer, forKey: .optimizer); try c.encode(lr, forKey: .lr); try c.encode(noise, forKey: .noise)
        try c.encode(labelSmoothing, forKey: .labelSmoothing)
        try c.encode(offset, forKey: .offset); try c.encode(seed, forKey: .seed); try c.encode(precision, forKey: .precision)
        try c.encode(ordersOfMagnitude, forKey: .ordersOfMagnitude)
        try c.encode(finalDAccuracy, forKey: .finalDAccuracy)
        // null when D never reached 100 %, as the interface promises (encodeIfPresent would drop the key).
        try c.encode(stepsToFullAccuracy, forKey: .stepsToFullAccuracy)
        try c.encode(minimaxPeakMean, forKey: .minimaxPeakMean); try c.encode(minimaxFinalMean, forKey: .minimaxFinalMean)
        try c.encode(nonsatInitialMean, forKey: .nonsatInitialMean); try c.encode(nonsatFinalMean, forKey: .nonsatFinalMean)
        try c.encode(nonsatInitialStd, forKey: .nonsatInitialStd); try c.encode(nonsatFinalStd, forKey: .nonsatFinalStd)
        // Undefined objects keep their keys, each null, so JSON and the CSV row have the same columns in every run.
        if let plateau { try c.encode(plateau, forKey: .plateau) } else {
            var empty = c.nestedContainer(keyedBy: Plateau.CodingKeys.self, forKey: .plateau)
            for key in Plateau.CodingKeys.allCases { try empty.encodeNil(forKey: key) }
        }
        if let closedForm { try c.encode(closedForm, forKey: .closedForm) } else {
            var empty = c.nestedContainer(keyedBy: ParallelSegmentsClosedForm.CodingKeys.self, forKey: .closedForm)
            for key in ParallelSegmentsClosedForm.CodingKeys.allCases { try empty.encodeNil(forKey: key) }
        }
        try c.encode(seconds, forKey: .seconds)
        try c.encode(out, forKey: .out)
        try c.encode(interrupted, forKey: .interrupted)
    }
}

extension VanishResult {
    public func summary(out: String?) -> VanishSummary {
        let c = configuration
        let plateauValues = plateau.map {
            VanishSummary.Plateau(dAccuracy: $0.accuracy.mean, dLoss: $0.loss.mean, minimaxOffset: $0.minimaxOffset.mean,
                                  minimaxOffsetStderr: $0.minimaxOffset.std, nonsatOffset: $0.nonsatOffset.mean,
                                  nonsatOffsetStderr: $0.nonsatOffset.std)
        }
        let tail = records.suffix(max(records.count / 10, 1))
        return VanishSummary(
            data: c.data.kind.rawValue, dim: c.dimension, latent: c.latent, generator: c.generator.rawValue,
            hidden: c.hidden, layers: c.layers, dLayers: c.discriminatorLayers, batch: c.batch,
            pretrainSteps: c.pretrainSteps, steps: c.steps, optimizer: c.optimizer.rawValue,
            lr: c.learningRate, noise: c.noise, labelSmoothing: c.labelSmoothing, offset: c.offset, seed: c.seed, precision: c.precision.rawValue,
            ordersOfMagnitude: ordersOfMagnitude, finalDAccuracy: records.last?.accuracy.mean,
            stepsToFullAccuracy: stepsToFullAccuracy, minimaxPeakMean: records.map(\.minimax.mean).max(),
            minimaxFinalMean: tail.isEmpty ? nil : tail.map(\.minimax.mean).reduce(0, +) / Double(tail.count),
            nonsatInitialMean: records.first?.nonsat.mean, nonsatFinalMean: records.last?.nonsat.mean,
            nonsatInitialStd: records.first?.nonsat.std, nonsatFinalStd: records.last?.nonsat.std,
            plateau: c.generator == .affine ? plateauValues : nil, closedForm: closedForm, seconds: seconds, out: out,
            interrupted: { if case .interrupted = fault { true } else { false } }())
    }

    public var csv: String {
        var table = CSVTable(header: VanishRecord.csvHeader)
        for record in records { table.append(record.csvCells) }
        return table.text
    }

    /// Writes vanish.csv, manifest.json, vanish.gp and (with gnuplot) vanish.png.
    public func write(to directory: RunDirectory) throws(ManifoldLabError) {
        try directory.write("vanish.csv", csv)
        var files = ["vanish.csv", "manifest.json"]
        let script = """
            # Written by manifoldlab vanish; run `gnuplot vanish.gp` in this directory.
            set datafile separator comma
            set terminal pngcairo size 900,600 noenhanced
            set output 'vanish.png'
            set key autotitle columnhead
            set logscale y
            set xlabel 'D steps (G frozen)'
            set ylabel 'generator gradient norm'
            set y2tics
            set y2range [0:1.05]
            set y2label 'D accuracy'
            plot 'vanish.csv' using 1:6:7 with yerrorlines title 'minimax (mean ± std)', \\
                 '' using 1:8:9 with yerrorlines title '-log D (mean ± std)', \\
                 '' using 1:2 axes x1y2 with lines title 'D accuracy'
            """ + "\n"
        if !records.isEmpty {
            files.append("vanish.gp")
            if try directory.plot(script: script, name: "vanish.gp") == .drawn { files.append("vanish.png") }
        }
        struct Manifest: Encodable {
            let command = "vanish", version = ManifoldLabVersion.string, blasCore = BLASBackend.coreName
            let runID: String
            let parameters: VanishSummary
            /// Every option of the run, as train-toy's manifest has it: enough to run it again.
            let configuration: VanishConfiguration
            let files: [String]
            enum CodingKeys: String, CodingKey {
                case command, version, blasCore = "blas_core", runID = "run_id", parameters, configuration, files
            }
        }
        try directory.write("manifest.json", JSONOutput.pretty(Manifest(runID: directory.runID, parameters: summary(out: directory.path),
                                                                        configuration: configuration, files: files)))
    }

    public func text(out: String?) -> String {
        let c = configuration
        let f: (Double) -> String = NumberFormat.short
        let s = summary(out: out)
        var lines = ["vanish: \(c.data.kind.rawValue) in R^\(c.dimension) moved by θ = \(NumberFormat.text(c.offset)), \(c.generator.rawValue) G "
                     + "(pretrained \(c.pretrainSteps) steps, then frozen), fresh D (\(c.discriminatorLayers)×\(c.hidden)) trained alone "
                     + "\(c.steps) steps by \(c.optimizer.rawValue) lr \(NumberFormat.text(c.learningRate)), σ = \(NumberFormat.text(c.noise)), seed \(c.seed)"]
        lines.append("D accuracy:           \(s.finalDAccuracy.map(f) ?? "–") at the end; "
                     + (s.stepsToFullAccuracy.map { "100 % from D step \($0)" } ?? "never 100 %"))
        lines.append("minimax gradient:     peak \(s.minimaxPeakMean.map(f) ?? "–"), final \(s.minimaxFinalMean.map(f) ?? "–"): "
                     + "fell by \(String(format: "%.2f", ordersOfMagnitude)) orders of magnitude")
        lines.append("−log D gradient:      \(s.nonsatInitialMean.map(f) ?? "–") ± \(s.nonsatInitialStd.map(f) ?? "–") at D step 0, "
                     + "\(s.nonsatFinalMean.map(f) ?? "–") ± \(s.nonsatFinalStd.map(f) ?? "–") at the end (mean ± std over \(c.probeBatches) batches)")
        if let p = s.plateau {
            lines.append("plateau (2nd half):   D accuracy \(f(p.dAccuracy)), D loss \(f(p.dLoss)), d/dθ minimax \(f(p.minimaxOffset)), d/dθ −log D \(f(p.nonsatOffset))")
        }
        if let cf = closedForm {
            lines.append("closed form (δ = \(f(cf.delta))): D accuracy \(f(cf.accuracy)), D loss \(f(cf.loss)), d/dθ minimax \(f(cf.minimaxOffset)), d/dθ −log D \(f(cf.nonsatOffset))")
        }
        lines.append(String(format: "%.2f s", seconds) + (out.map { "; files in \($0): vanish.csv, manifest.json, vanish.gp" + (RunDirectory.gnuplot != nil ? ", vanish.png" : "") } ?? "; no files written (give \(parameter: "out") DIR for vanish.csv)"))
        return lines.joined(separator: "\n") + "\n"
    }
}
