import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab kl`: Kullback–Leibler divergence KL(P‖Q).
struct KLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kl",
        abstract: "Kullback–Leibler divergence KL(P‖Q) in nats (∞ when P has mass where Q has none).",
        discussion: """
        Without noise, mutually singular supports give KL = ∞ (printed as ∞, "inf" in JSON/CSV).
        With --noise σ: KL of the smoothed laws, e.g. θ²/(2σ²) for parallel segments a distance θ apart.
        """)

    @OptionGroup var options: DivergenceOptionGroup

    func run() throws { try options.run([.kl]) }
}
