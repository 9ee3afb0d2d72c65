import Foundation
import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab dirac`: GAN training dynamics in closed form (Dirac-GAN).
struct DiracCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dirac",
        abstract: "Iterate the Dirac-GAN's gradient field and say whether training converges, and why.",
        discussion: """
        The simplest GAN whose dynamics can be solved by hand (Mescheder, Geiger & Nowozin 2018): data δ₀, \
        generator δ_θ, discriminator D_ψ(x) = ψx, loss L(θ, ψ) = f(ψθ) + f(0); G descends, D ascends, and \
        the equilibrium is (θ, ψ) = (0, 0). Prints the final distance to (0, 0), the eigenvalues of the \
        Jacobian of the vector field v = (−∂L/∂θ, ∂L/∂ψ) at (0, 0), the spectral radius of the discrete \
        update there, and whether training converges.

        Losses:
        \(DiracLoss.allCases.map { "  \($0.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        Updates:
        \(DiracUpdate.allCases.map { "  \($0.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        --gamma, --sigma and --clip are recorded but ignored by losses that do not use them. Instance-noise \
        expectations use 100-point Gauss–Hermite quadrature (GSL). See docs/dirac.md.
        """
    )

    @Option(help: "The GAN objective: gan, nsgan, wgan, wgan-gp, r1 or noise (see the list above).")
    var loss: String = "gan"

    @Option(help: "How the players step: simultaneous or alternating.")
    var update: String = "simultaneous"

    @Option(name: .customLong("d-steps"), help: "Discriminator steps k per generator step (alternating updates only).")
    var dSteps: Int = 1

    @Option(name: .customLong("h"), parsing: .unconditional, help: "Step size (learning rate) h > 0 of both players.")
    var stepSize: Double = 0.1

    @Option(help: "Number of generator steps N.")
    var steps: Int = 1000

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Start point θ0,ψ0 (negative values work as --start -1,1 or --start=-1,1).", valueName: "θ0,ψ0"))
    var start: String = "1,1"

    @Option(parsing: .unconditional, help: "γ ≥ 0: weight of the wgan-gp penalty γ/2·(|ψ| − 1)² and the r1 penalty γ/2·ψ².")
    var gamma: Double = 1

    @Option(parsing: .unconditional, help: "σ ≥ 0: standard deviation of the instance noise ε ~ N(0, σ²) (loss noise, σ > 0).")
    var sigma: Double = 0.5

    @Option(parsing: .unconditional, help: "c > 0: WGAN weight clip, |ψ| ≤ c after every discriminator update (loss wgan).")
    var clip: Double = 1

    @Option(help: "What goes to stdout: text (summary), json (one summary object) or csv (the trajectory).")
    var format: OutputFormat = .text

    @Option(help: "Write the trajectory as CSV step,theta,psi,distance to this file (atomically).")
    var out: String?

    @Option(help: "Write the vector field on a grid as CSV theta,psi,v_theta,v_psi to this file (for phase portraits).")
    var field: String?

    @Option(name: .customLong("field-extent"), parsing: .unconditional, help: "Half-width R of the --field grid over [−R, R]².")
    var fieldExtent: Double = 2

    @Option(name: .customLong("field-grid"), help: "Points per axis of the --field grid.")
    var fieldGrid: Int = 21

    func run() throws {
        let configuration = DiracConfiguration(
            loss: try DiracLoss.named(loss), update: try DiracUpdate.named(update), discriminatorSteps: dSteps,
            stepSize: stepSize, steps: steps, start: try DiracPoint.parse(start),
            gamma: gamma, sigma: sigma, clip: clip)
        try configuration.validate()
        if field != nil { try DiracGAN.validateField(extent: fieldExtent, count: fieldGrid) }
        if let out, let field, URL(fileURLWithPath: out).standardizedFileURL == URL(fileURLWithPath: field).standardizedFileURL {
            throw ManifoldLabError.conflictingOptions("--out and --field name the same file \(out); give each its own path")
        }
        let trajectoryFile = try out.map { path throws(ManifoldLabError) in try OutputFile(path: path) }
        let fieldFile = try field.map { path throws(ManifoldLabError) in try OutputFile(path: path) }

        let result = try configuration.run(recordTrajectory: trajectoryFile != nil || format == .csv)
        // A huge --h overflows h·v: never print NaN as a result (nor write it), say why instead.
        let summary = result.summary
        // Huge values overflow the linearisation (h·J, γ², σ⁴): never print NaN, nor an ∞ that only
        // means "beyond double precision" (docs/reliability.md); say why instead.
        let numbers = [summary.finalDistance, summary.spectralRadius] + summary.final + summary.updateJacobian.flatMap { $0 }
            + summary.jacobian.flatMap { $0 } + summary.eigenvalues.flatMap { [$0.real, $0.imaginary] }
        if numbers.contains(where: \.isNaN) {
            throw ManifoldLabError.numericalFailure(
                "the Dirac-GAN iteration came out NaN with h = \(NumberFormat.text(stepSize)) (h·v overflows); use a smaller --h")
        }
        if numbers.contains(where: \.isInfinite) {
            throw ManifoldLabError.numericalFailure(
                "the linearisation at (0, 0) overflows double precision with h = \(NumberFormat.text(stepSize)), γ = \(NumberFormat.text(gamma)); use a smaller --h or --gamma")
        }
        // The field first: if it overflows, nothing is committed.
        var fieldText: String?
        if fieldFile != nil {
            fieldText = try DiracGAN(loss: configuration.loss, gamma: gamma, sigma: sigma).fieldCSV(extent: fieldExtent, count: fieldGrid)
        }
        if let trajectoryFile, let trajectory = result.trajectory {
            try trajectory.writeCSV { text throws(ManifoldLabError) in try trajectoryFile.write(text) }
            try trajectoryFile.commit()
        }
        if let fieldFile, let fieldText {
            try fieldFile.write(fieldText)
            try fieldFile.commit()
        }
        switch format {
        case .text: StandardOutput.write(result.text)
        case .json: StandardOutput.write(JSONOutput.line(result.summary) + "\n")
        case .csv: try result.trajectory?.writeCSV { text throws(ManifoldLabError) in StandardOutput.write(text) }
        }
    }
}
