/// One divergence with the run's parameters: the JSON object (one per line) and CSV row that
/// shell sweeps collect.
public struct DivergenceReport: Codable, Sendable {
    public var divergence: String
    public var value: Double
    public var stderr: Double
    public var method: String
    public var unit: String
    public var reason: String
    public var p: String
    public var q: String
    public var dim: Int
    public var offset: Double
    public var angle: Double
    public var noise: Double
    /// Points per distribution that the method drew or read (0: exact, no sampling).
    public var n: Int
    public var seed: UInt64
    public var seconds: Double
    public var details: [String: Double]
    /// True when the estimate is not one the tool stands behind (out of its range, NaN, or with an
    /// error bar that is not a number): `value` is then null in JSON and empty in CSV, the raw
    /// number is in `details.raw_value`, and `reason` says why and what to do instead.
    public var refused: Bool = false

    public init(estimate: DivergenceEstimate, request: DivergenceRequest, dimension: Int, count: Int, seconds: Double) {
        divergence = estimate.divergence.rawValue
        value = estimate.value
        stderr = estimate.stderr
        method = estimate.method
        unit = estimate.unit
        reason = estimate.reason ?? ""
        p = request.p.description
        q = request.q.description
        dim = dimension
        offset = request.placement.offset
        angle = request.placement.angle
        noise = request.noise
        n = count
        seed = request.seed.value
        self.seconds = seconds
        details = estimate.details
    }

    /// Marks this report refused: the raw value moves to `details.raw_value` and `value` becomes
    /// NaN, which every writer turns into "not a number the tool reports" (JSON null, empty CSV cell).
    public mutating func refuse(because reason: String) {
        if !value.isNaN { details["raw_value"] = value }
        value = .nan
        if !stderr.isFinite { stderr = .nan }
        self.reason = reason
        refused = true
    }

    public static let csvHeader = ["divergence", "value", "stderr", "method", "unit", "p", "q", "dim", "offset",
                                   "angle", "noise", "n", "seed", "seconds", "reason", "refused"]

    public var csvRow: [String] {
        [divergence, NumberFormat.text(value), NumberFormat.text(stderr), method, unit, p, q, String(dim),
         NumberFormat.text(offset), NumberFormat.text(angle), NumberFormat.text(noise), String(n), String(seed),
         NumberFormat.text(seconds), reason, String(refused)]
    }

    /// `JS(line‖plane) = 0.693147 nats (= log 2: …) [exact]`, with ± stderr when estimated;
    /// six significant digits in exponent form below 1e-3 (`W2 = 4.568849e-09`, never `0.000000`).
    public var textLine: String {
        let symbol = divergence.uppercased()
        if refused { return "\(symbol)(\(p)‖\(q)) not reported: \(reason) [\(method)\(n > 0 ? ", n = \(n)" : "")]" }
        let number = !value.isFinite ? (value > 0 ? "∞" : "−∞")
            : abs(value) >= 1e6 || (value != 0 && abs(value) < 1e-3) ? String(format: "%.6e", value) : String(format: "%.6f", value)
        let uncertainty = stderr > 0 && stderr.isFinite ? String(format: " ± %.2g", stderr) : ""
        let units = unit == "nats" ? " nats" : ""
        let why = reason.isEmpty ? "" : " (\(reason))"
        let size = n > 0 ? ", n = \(n)" : ""
        return "\(symbol)(\(p)‖\(q)) = \(number)\(uncertainty)\(units)\(why) [\(method)\(size)]"
    }
}

import Foundation
