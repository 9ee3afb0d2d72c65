import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab wasserstein`: W1 or W2 between P and Q.
struct WassersteinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasserstein",
        abstract: "Wasserstein distance W1 or W2 between P and Q (in distance units; W2, not W2²).",
        discussion: """
        Unlike JS and KL it measures how far apart disjoint supports are: translated copies give W = |θ|.
        Methods: exact (closed forms, else exact optimal transport on n samples), sinkhorn, sliced.
        """)

    @Option(help: "The order p of W_p: 1 or 2.")
    var order: Int = 1

    @OptionGroup var options: DivergenceOptionGroup

    func run() throws {
        guard order == 1 || order == 2 else {
            throw ManifoldLabError.invalidValue(parameter: "order", value: String(order), allowed: "1 or 2")
        }
        try options.run([order == 1 ? .w1 : .w2])
    }
}
