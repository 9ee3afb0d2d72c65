import Foundation
import ManifoldLabCore

/// The JSON summary of a run: every parameter, then the results (snake_case keys).
public struct DiracSummary: Encodable, Sendable {
    public let loss: String
    public let update: String
    public let dSteps: Int
    public let lr: Double
    public let steps: Int
    public let start: [Double]
    public let gamma: Double
    public let noise: Double
    public let clip: Double
    public let stepsRun: Int
    public let final: [Double]
    public let finalDistance: Double
    public let jacobian: [[Double]]
    public let eigenvalues: [Matrix2x2.Eigenvalue]
    public let updateJacobian: [[Double]]
    public let spectralRadius: Double
    public let smoothAtEquilibrium: Bool
    public let converges: Bool
    public let verdict: String
    public let explanation: String

    enum CodingKeys: String, CodingKey {
        case loss, update, dSteps = "d_steps", lr, steps, start, gamma, noise, clip
        case stepsRun = "steps_run", final, finalDistance = "final_distance", jacobian, eigenvalues
        case updateJacobian = "update_jacobian", spectralRadius = "spectral_radius"
        case smoothAtEquilibrium = "smooth_at_equilibrium", converges, verdict, explanation
    }
}

extension DiracResult {
    public var summary: DiracSummary {
        let c = configuration
        return DiracSummary(loss: c.loss.rawValue, update: c.update.rawValue, dSteps: c.discriminatorSteps,
                            lr: c.learningRate, steps: c.steps, start: [c.start.theta, c.start.psi],
                            gamma: c.gamma, noise: c.noise, clip: c.clip, stepsRun: stepsRun,
                            final: [final.theta, final.psi], finalDistance: finalDistance,
                            jacobian: jacobian.rows.map { $0.map(Self.unsignedZero) }, eigenvalues: eigenvalues,
                            updateJacobian: updateJacobian.rows.map { $0.map(Self.unsignedZero) },
                            spectralRadius: spectralRadius, smoothAtEquilibrium: smoothAtEquilibrium,
                            converges: converges, verdict: verdict.rawValue, explanation: explanation)
    }

    /// A few readable lines: the run, the final distance, the linearisation, the verdict.
    public var text: String {
        let c = configuration
        var parameters = "loss \(c.loss.rawValue), \(c.update.rawValue) updates"
        if c.update == .alternating { parameters += " (\(c.discriminatorSteps) D step\(c.discriminatorSteps == 1 ? "" : "s") per G step)" }
        parameters += ", lr = \(NumberFormat.text(c.learningRate))"
        switch c.loss {
        case .r1, .wganGP: parameters += ", γ = \(NumberFormat.text(c.gamma))"
        case .noise: parameters += ", σ = \(NumberFormat.text(c.noise))"
        case .wgan: parameters += ", clip = \(NumberFormat.text(c.clip))"
        case .minimax, .nonsat: break
        }
        let n: (Double) -> String = { NumberFormat.text(Self.unsignedZero($0)) }
        let jacobianNote = smoothAtEquilibrium ? "" : " (one-sided: v jumps at ψ = 0)"
        let lines = [
            "Dirac-GAN: \(parameters), \(c.steps) steps from (θ, ψ) = (\(n(c.start.theta)), \(n(c.start.psi)))",
            "final (θ, ψ):                 (\(n(final.theta)), \(n(final.psi)))\(stepsRun < c.steps ? " after \(stepsRun) steps" : "")",
            "final distance to (0, 0):     \(n(finalDistance))",
            "Jacobian of v at (0, 0):      [[\(n(jacobian.a)), \(n(jacobian.b))], [\(n(jacobian.c)), \(n(jacobian.d))]]\(jacobianNote)",
            "eigenvalues:                  \(eigenvalues.map(Self.complexText).joined(separator: ", "))",
            "spectral radius of update:    \(n(spectralRadius))",
            explanation,
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// −0 written as 0: a sign of zero that only says which way a product was rounded.
    static func unsignedZero(_ x: Double) -> Double { x == 0 ? 0 : x }

    static func complexText(_ z: Matrix2x2.Eigenvalue) -> String {
        let re = NumberFormat.text(unsignedZero(z.real))
        if z.imaginary == 0 { return re }
        return "\(re) \(z.imaginary < 0 ? "−" : "+") \(NumberFormat.text(abs(z.imaginary)))i"
    }
}
