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

        --gamma, --noise and --clip are recorded but ignored by losses that do not use them. Instance-noise \
        expectations use 100-point Gauss–Hermite quadrature (GSL). --format chooses how the summary is \
        printed (csv: one row under its header); the trajectory goes to --out. See docs/dirac.md.
        """
    )

    @Option(help: "The GAN objective (see the list above): the losses of train-toy plus noise.")
    var loss: DiracLoss = .minimax

    @Option(help: "How the players step: simultaneous or alternating.")
    var update: DiracUpdate = .simultaneous

    @Option(name: .customLong("d-steps"), help: "Discriminator steps k per generator step (alternating updates only).")
    var dSteps: Int = 1

    @Option(parsing: .unconditional, help: """
        Learning rate h > 0 of both players: the step of plain gradient descent on (θ, ψ). The default is \
        Mescheder et al.'s h = 0.1 for this two-parameter game, not train-toy's Adam rate for networks.
        """)
    var lr: Double = 0.1

    @Option(name: .customLong("h"), parsing: .unconditional, help: .hidden)
    var oldH: Double?

    @Option(help: "Number of generator steps N.")
    var steps: Int = 1000

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Start point θ0,ψ0 (negative values work as --start -1,1 or --start=-1,1).", valueName: "θ0,ψ0"))
    var start: String = "1,1"

    @Option(parsing: .unconditional, help: """
        γ ≥ 0: weight of the wgan-gp penalty γ/2·(|ψ| − 1)² and the r1 penalty γ/2·ψ². The default 1 is \
        the Dirac-GAN analysis's; train-toy's wgan-gp uses Gulrajani et al.'s 10 for networks.
        """)
    var gamma: Double = 1

    @Option(parsing: .unconditional, help: "σ ≥ 0: standard deviation of the instance noise ε ~ N(0, σ²) (loss noise, σ > 0).")
    var noise: Double = 0.5

    @Option(name: .customLong("sigma"), parsing: .unconditional, help: .hidden)
    var oldSigma: Double?

    @Option(parsing: .unconditional, help: """
        c > 0: WGAN weight clip, |ψ| ≤ c after every discriminator update (loss wgan). ψ is one O(1) \
        number here; train-toy clips every network weight at the WGAN paper's 0.01.
        """)
    var clip: Double = 1

    @Option(help: "What goes to stdout: text (a summary), json (one summary object) or csv (the summary as one row under its header).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    @Option(help: "A file (one table): write the trajectory as CSV step,theta,psi,distance to it (atomically).", completion: .file())
    var out: String?

    @Option(help: "Write the vector field on a grid as CSV theta,psi,v_theta,v_psi to this file (for phase portraits).", completion: .file())
    var field: String?

    @Option(name: .customLong("field-extent"), parsing: .unconditional, help: "Half-width R of the --field grid over [−R, R]².")
    var fieldExtent: Double = 2

    @Option(name: .customLong("field-grid"), help: "Points per axis of the --field grid.")
    var fieldGrid: Int = 21

    /// The run these flags ask for (checked by the library's `validate()` in `run()`).
    func configuration() throws(ManifoldLabError) -> DiracConfiguration {
        DiracConfiguration(
            loss: loss, update: update, discriminatorSteps: dSteps,
            learningRate: try Deprecated.merge(lr, default: 0.1, old: oldH, oldName: "--h", currentName: "--lr"),
            steps: steps, start: try DiracPoint.parse(start), gamma: gamma,
            noise: try Deprecated.merge(noise, default: 0.5, old: oldSigma, oldName: "--sigma", currentName: "--noise"),
            clip: clip)
    }

    func run() throws {
        try header.check(csv: format == .csv)
        let configuration = try configuration()
        let learningRate = configuration.learningRate, noise = configuration.noise
        try configuration.validate()
        if field != nil { try DiracGAN.validateField(extent: fieldExtent, count: fieldGrid) }
        if let out, let field, URL(fileURLWithPath: out).standardizedFileURL == URL(fileURLWithPath: field).standardizedFileURL {
            throw ManifoldLabError.conflictingOptions("--out and --field name the same file \(out); give each its own path")
        }
        let trajectoryFile = try out.map { path throws(ManifoldLabError) in try OutputFile(path: path) }
        let fieldFile = try field.map { path throws(ManifoldLabError) in try OutputFile(path: path) }

        let result = try configuration.run(recordTrajectory: trajectoryFile != nil)
        // A huge --h overflows h·v: never print NaN as a result (nor write it), say why instead.
        let summary = result.summary
        // Huge values overflow the linearisation (h·J, γ², σ⁴): never print NaN, nor an ∞ that only
        // means "beyond double precision" (docs/reliability.md); say why instead.
        let numbers = [summary.finalDistance, summary.spectralRadius] + summary.final + summary.updateJacobian.flatMap { $0 }
            + summary.jacobian.flatMap { $0 } + summary.eigenvalues.flatMap { [$0.real, $0.imaginary] }
        if numbers.contains(where: \.isNaN) {
            throw ManifoldLabError.numericalFailure(
                "the Dirac-GAN iteration came out NaN with h = \(NumberFormat.text(learningRate)) (h·v overflows); use a smaller --lr")
        }
        if numbers.contains(where: \.isInfinite) {
            throw ManifoldLabError.numericalFailure(
                "the linearisation at (0, 0) overflows double precision with h = \(NumberFormat.text(learningRate)), γ = \(NumberFormat.text(gamma)); use a smaller --lr or --gamma")
        }
        // The field first: if it overflows, nothing is committed.
        var fieldText: String?
        if fieldFile != nil {
            fieldText = try DiracGAN(loss: configuration.loss, gamma: gamma, sigma: noise).fieldCSV(extent: fieldExtent, count: fieldGrid)
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
        case .csv: StandardOutput.write(header.table(SummaryRow.csv(result.summary)))
        }
    }
}
