import Foundation

/// JS lies in [0, log 2] and KL in [0, ∞]; an estimate outside is bias or error, not a divergence.
///
/// An estimate within 2 standard errors (plus 1e-12 nats of rounding) of the range is clamped to the
/// boundary and says so in its reason ("clamped to 0: raw −0.001 ± 0.002"): such an excursion is
/// what sampling noise does to a value at the boundary. Anything further out is refused with
/// ``ManifoldLabError/numericalFailure(_:)`` (exit 70): the computation ran and produced a number
/// the tool does not stand behind — not a usage error, which is why it is not exit 64.
public enum DivergenceRange {
    /// Rounding slack in nats: JS and KL are dimensionless, so an absolute tolerance is scale-free.
    static let rounding = 1e-12

    public static func enforce(_ estimate: DivergenceEstimate) throws(ManifoldLabError) -> DivergenceEstimate {
        switch check(estimate) {
        case .success(let accepted): return accepted
        case .failure(let refusal): throw refusal
        }
    }

    /// The estimate (clamped when within slack), or the refusal that says why it is not printed.
    static func check(_ estimate: DivergenceEstimate) -> Result<DivergenceEstimate, ManifoldLabError> {
        let kind = estimate.divergence
        precondition(kind == .js || kind == .kl)
        let value = estimate.value, error = estimate.stderr.isFinite ? estimate.stderr : 0
        let lower = 0.0, upper = kind == .js ? M_LN2 : Double.infinity
        if value >= lower && value <= upper { return .success(estimate) }
        let bound = value < lower ? lower : upper
        let slack = 2 * error + rounding
        if abs(value - bound) <= slack {
            var clamped = estimate
            clamped.value = bound
            let note = String(format: "clamped to %@: raw %@ ± %.2g", bound == 0 ? "0" : "log 2", signed(value), error)
            clamped.reason = [note, estimate.reason].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
            clamped.details["raw_value"] = value
            return .success(clamped)
        }
        let range = kind == .js ? "[0, log 2]" : "[0, ∞]"
        return .failure(.numericalFailure(String(
            format: "%@ %@ came out %@ ± %.2g, outside %@: the estimator's bias dominates here, so it is not printed (%@)",
            estimate.method, kind.symbol, signed(value), error, range, advice(estimate.method))))
    }

    /// What to do instead, by method.
    static func advice(_ method: String) -> String {
        switch method {
        case "knn": return "add instance noise \(parameter: "noise") σ for the smoothed estimator, use \(parameter: "method") classifier, or a bigger \(parameter: "n")"
        case "classifier": return "the classifier did not learn: use a bigger \(parameter: "n"), or \(parameter: "noise") σ for the smoothed estimator"
        default: return "its densities are not accurate here: use a bigger \(parameter: "n"), a larger \(parameter: "noise") σ, or \(parameter: "method") classifier"
        }
    }

    /// −7.441632 with a true minus sign, 6 significant digits.
    static func signed(_ value: Double) -> String {
        let text = String(format: "%.6g", abs(value))
        return value < 0 ? "−" + text : text
    }
}
