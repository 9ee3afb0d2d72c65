import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// The data and the two networks, shared by `train-toy` and `vanish`.
struct ToyModelOptionGroup: ParsableArguments {
    @Option(help: "The data's manifold or mixture (any name `sample` takes; default line, ring for compare-techniques).")
    var data: String?

    @OptionGroup var shape: ShapeOptionGroup

    @Option(help: "Ambient dimension D.")
    var dim: Int = 64

    @Option(help: "Latent dimension k (default 1, 2 for compare-techniques).")
    var latent: Int?

    @Option(name: .customLong("latent-dist"), help: "Latent law: uniform (U[−1, 1]^k) or normal (N(0, I)).")
    var latentDist: String = "uniform"

    @Option(help: "Generator: mlp, or affine (G(z) = a + Bz, exactly a flat; `vanish` puts it on the data's flat before the gap).")
    var generator: String = "mlp"

    @Option(help: "Hidden width H of both networks.")
    var hidden: Int = 128

    @Option(help: "Hidden layers L of both networks (0: D is logistic regression).")
    var layers: Int = 2

    /// The data's manifold spec, the latent dimension and law and the generator kind, each checked;
    /// `--data` and `--latent` fall back to the command's defaults only when not given.
    func resolved(defaultData: String = "line", defaultLatent: Int = 1) throws(ManifoldLabError)
        -> (data: ManifoldSpec, latentSize: Int, latent: LatentDistribution, generator: GeneratorKind) {
        (try shape.shape.specs([(data ?? defaultData, "--data")])[0],
         latent ?? defaultLatent,
         try LatentDistribution.named(latentDist, option: "--latent-dist"),
         try GeneratorKind.named(generator, option: "--generator"))
    }
}
