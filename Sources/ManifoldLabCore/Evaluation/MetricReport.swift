import Foundation

/// One metric of `evaluate` or `dimension` with the run's parameters: the JSON object (one per
/// line), the CSV row and the text line. `stderr` is NaN (JSON null, an empty CSV cell, "no error
/// estimate" in text) when the metric has no error estimate; `reason` says what the number assumes.
public struct MetricReport: Codable, Sendable {
    /// The metric's key: frechet_distance, kid, mmd, precision, recall, density, coverage, w1, w2,
    /// sliced_w2, js_lower_bound, dimension_twonn, dimension_mle, inception_score, modes_covered,
    /// high_quality_fraction.
    public var metric: String
    /// Which sample it describes: "real", "fake", "p", or "both" for a comparison.
    public var sample: String
    public var value: Double
    public var stderr: Double
    public var unit: String
    public var reason: String
    public var real: String
    public var fake: String?
    public var dim: Int
    /// Points of the real and of the fake sample the metric saw.
    public var nReal: Int
    public var nFake: Int
    public var seed: UInt64
    public var seconds: Double
    public var details: [String: Double]
    /// True when the metric could not be computed to a number the tool stands behind; `value` is
    /// then null and `reason` says why.
    public var refused: Bool = false

    public init(metric: String, sample: String = "both", value: Double, stderr: Double = .nan, unit: String = "",
                reason: String, details: [String: Double] = [:]) {
        self.metric = metric
        self.sample = sample
        self.value = value
        self.stderr = stderr
        self.unit = unit
        self.reason = reason
        self.details = details
        real = ""
        fake = nil
        dim = 0
        nReal = 0
        nFake = 0
        seed = 0
        seconds = 0
    }

    /// A refusal of `metric` with the error's message.
    public static func refusal(_ metric: String, sample: String = "both", _ error: ManifoldLabError) -> MetricReport {
        var report = MetricReport(metric: metric, sample: sample, value: .nan, reason: error.description)
        report.refused = true
        return report
    }

    public static let csvHeader = ["metric", "sample", "value", "stderr", "unit", "real", "fake", "dim", "n_real", "n_fake",
                                   "seed", "seconds", "reason", "refused"]

    public var csvRow: [String] {
        [metric, sample, NumberFormat.text(value), NumberFormat.text(stderr), unit, real, fake ?? "", String(dim),
         String(nReal), String(nFake), String(seed), NumberFormat.text(seconds), reason, String(refused)]
    }

    /// `precision = 0.912000 ± 0.0063 (…) [real ring, n = 2000]`, "no error estimate" when there is none.
    public var textLine: String {
        let name = sample == "both" ? metric : "\(metric)(\(sample))"
        if refused { return "\(name) not reported: \(reason)" }
        let number = unit == "modes" ? String(format: "%.0f", value)
            : value == 0 || (abs(value) >= 1e-3 && abs(value) < 1e6) ? String(format: "%.6f", value) : String(format: "%.6e", value)
        let uncertainty = stderr.isFinite ? String(format: " ± %.2g", stderr) : " (no error estimate)"
        let units = unit.isEmpty ? "" : " " + unit
        // A count reads "8 modes (no error estimate)"; a measurement "0.17 ± 0.0095 distance".
        if unit == "modes" { return "\(name) = \(number)\(units)\(uncertainty): \(reason)" }
        return "\(name) = \(number)\(uncertainty)\(units): \(reason)"
    }
}
