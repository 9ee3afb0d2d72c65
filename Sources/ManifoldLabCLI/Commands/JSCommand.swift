import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab js`: Jensen–Shannon divergence between P and Q.
struct JSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "js",
        abstract: "Jensen–Shannon divergence JS(P‖Q) in nats (0 ≤ JS ≤ log 2).",
        discussion: """
        Without noise, supports that meet in a null set give JS = log 2 whatever their distance (exact).
        With --noise σ both laws get densities and JS falls continuously from log 2 as σ grows or the
        offset shrinks (smoothed: Monte Carlo with quadrature densities, ± its standard error).
        Example: manifoldlab js --dim 3   (line vs plane in R^3: log 2)
        """)

    @OptionGroup var options: DivergenceOptionGroup

    func run() throws { try options.run([.js]) }
}
