import Foundation

/// Monte Carlo estimates of JS and KL between two smoothed laws P_σ and Q_σ.
///
/// With x_i ~ P_σ and y_j ~ Q_σ (n each) and exact log-densities:
/// JS = ½ E_P[log 2 − softplus(log q − log p)] + ½ E_Q[log 2 − softplus(log p − log q)] (each term
/// in (−∞, log 2], so the estimate never exceeds log 2), KL(P‖Q) = E_P[log p − log q]. The standard
/// errors are the sample standard deviations over √n.
public enum SmoothedEstimator {
    public static func estimate(p: any SmoothedLaw, q: any SmoothedLaw, count: Int, seed: Seed,
                                wanted: Set<DivergenceKind>) -> [DivergenceKind: DivergenceEstimate] {
        let x = p.sample(count: count, seed: seed)
        let logPx = p.logDensity(x), logQx = q.logDensity(x)
        let method = "smoothed"
        let details: [String: Double] = ["n": Double(count)]
        let note = p.densityMethod == q.densityMethod ? p.densityMethod : "\(p.densityMethod) / \(q.densityMethod)"
        var result: [DivergenceKind: DivergenceEstimate] = [:]
        if wanted.contains(.kl) {
            let terms = (0..<count).map { logPx[$0] - logQx[$0] }
            if terms.contains(.infinity) {
                result[.kl] = DivergenceEstimate(.kl, value: .infinity, method: method,
                                                 reason: "q_σ underflows to 0 at a sample of P_σ even in log space (\(note))", details: details)
            } else {
                let (mean, stderr) = meanAndStandardError(terms)
                result[.kl] = DivergenceEstimate(.kl, value: mean, stderr: stderr, method: method, reason: note, details: details)
            }
        }
        if wanted.contains(.js) {
            let y = q.sample(count: count, seed: seed)
            let logPy = p.logDensity(y), logQy = q.logDensity(y)
            let atP = (0..<count).map { M_LN2 - softplus(logQx[$0] - logPx[$0]) }
            let atQ = (0..<count).map { M_LN2 - softplus(logPy[$0] - logQy[$0]) }
            let (meanP, errorP) = meanAndStandardError(atP), (meanQ, errorQ) = meanAndStandardError(atQ)
            result[.js] = DivergenceEstimate(.js, value: 0.5 * (meanP + meanQ),
                                             stderr: 0.5 * (errorP * errorP + errorQ * errorQ).squareRoot(),
                                             method: method, reason: note, details: details)
        }
        return result
    }
}
