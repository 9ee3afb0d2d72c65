import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// The data and the two networks, shared by `train-toy`, `vanish` and `compare-techniques` (the
/// defaults of `--data` and `--latent` differ between them; each command's description says which).
struct ToyModelOptionGroup: ParsableArguments {
    @Option(help: "The data's manifold or mixture (a name `sample` takes; the default is in the description above).", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var data: ManifoldKind?

    @OptionGroup var shape: ShapeOptionGroup

    @Option(help: "Ambient dimension D (64: a low-dimensional manifold in a high-dimensional space, the papers' setting; `sample` and the divergences default to 3, which can be drawn).")
    var dim: Int = 64

    @Option(help: "Latent dimension k (the default is in the description above).")
    var latent: Int?

    @Option(name: .customLong("latent-dist"), help: "Latent law: uniform (U[−1, 1]^k) or normal (N(0, I)).")
    var latentDist: LatentDistribution = .uniform

    @Option(help: "Generator: mlp, or affine (G(z) = a + Bz, exactly a flat).")
    var generator: GeneratorKind = .mlp

    @Option(help: "Hidden width H of both networks.")
    var hidden: Int = 128

    @Option(help: "Hidden layers L of both networks (0: D is logistic regression).")
    var layers: Int = 2

    /// The data's manifold spec, the latent dimension and law and the generator kind, each checked;
    /// `--data` and `--latent` fall back to the command's defaults only when not given.
    func resolved(defaultData: ManifoldKind = .line, defaultLatent: Int = 1) throws(ManifoldLabError)
        -> (data: ManifoldSpec, latentSize: Int, latent: LatentDistribution, generator: GeneratorKind) {
        (try shape.specs([((data ?? defaultData).rawValue, "data")])[0],
         latent ?? defaultLatent,
         latentDist, generator)
    }
}
