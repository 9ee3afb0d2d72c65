import ArgumentParser
import ManifoldLab

/// The data and the two networks, shared by `train-toy` and `vanish`.
struct ToyModelOptionGroup: ParsableArguments {
    @Option(help: "The data's manifold or mixture (any name `sample` takes).")
    var data: String = "line"

    @OptionGroup var shape: ShapeOptionGroup

    @Option(help: "Ambient dimension D.")
    var dim: Int = 64

    @Option(help: "Latent dimension k.")
    var latent: Int = 1

    @Option(name: .customLong("latent-dist"), help: "Latent law: uniform (U[−1, 1]^k) or normal (N(0, I)).")
    var latentDist: String = "uniform"

    @Option(help: "Generator: mlp, or affine (G(z) = a + Bz, exactly a flat; `vanish` puts it on the data's flat before the gap).")
    var generator: String = "mlp"

    @Option(help: "Hidden width H of both networks.")
    var hidden: Int = 128

    @Option(help: "Hidden layers L of both networks (0: D is logistic regression).")
    var layers: Int = 2

    /// The data's manifold spec, the latent law and the generator kind, each checked.
    func resolved() throws(ManifoldLabError) -> (data: ManifoldSpec, latent: LatentDistribution, generator: GeneratorKind) {
        (try shape.shape.specs([(data, "--data")])[0],
         try LatentDistribution.named(latentDist, option: "--latent-dist"),
         try GeneratorKind.named(generator, option: "--generator"))
    }
}
