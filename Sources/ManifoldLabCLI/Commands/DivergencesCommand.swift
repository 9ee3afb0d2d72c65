import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab divergences`: JS, KL, W1 and W2 in one table.
struct DivergencesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "divergences",
        abstract: "JS, KL, W1 and W2 between P and Q, one line (or JSON object, or CSV row) each.")

    @OptionGroup var options: DivergenceOptionGroup

    func run() throws { try options.run(DivergenceKind.allCases) }
}
