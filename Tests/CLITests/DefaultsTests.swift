import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI

/// Every default that `--help` states, checked against the value that runs: the commands are parsed
/// in-process (as swift-argument-parser's own tests do) and their configurations compared with the
/// library's defaults and with the numbers the help text names.
@Suite("Defaults: what --help says is what runs")
struct DefaultsTests {
    @Test("train-toy without flags runs the library's defaults; --lr, --optimizer, --gamma follow the loss as the help says")
    func trainToy() throws {
        #expect(try TrainToyCommand.parse([]).configuration() == TrainingConfiguration())
        let plain = try TrainToyCommand.parse([]).configuration()
        #expect(plain.data == ManifoldSpec(kind: .line) && plain.latent == 1 && plain.dimension == 64)
        #expect(plain.learningRate == 1e-4 && plain.optimizer == .adam && plain.clip == 0.01)
        let wgan = try TrainToyCommand.parse(["--loss", "wgan"]).configuration()
        #expect(wgan.learningRate == 5e-5 && wgan.optimizer == .rmsprop)
        #expect(try TrainToyCommand.parse(["--loss", "wgan-gp"]).configuration().gamma == 10)
        #expect(try TrainToyCommand.parse(["--loss", "r1"]).configuration().gamma == 1)
        let help = TrainToyCommand.helpMessage(columns: 1000)
        #expect(help.contains("(default 1e-4; 5e-5 for wgan)") && help.contains("(default adam; rmsprop for wgan)"))
        #expect(help.contains("λ of wgan-gp (default 10), γ of r1 (default 1)"))
    }

    @Test("vanish and dirac without flags run the library's defaults")
    func vanishAndDirac() throws {
        #expect(try VanishCommand.parse([]).configuration() == VanishConfiguration())
        #expect(try DiracCommand.parse([]).configuration() == DiracConfiguration())
        let vanish = try VanishCommand.parse([]).configuration()
        #expect(vanish.offset == 1 && vanish.steps == 2000 && vanish.learningRate == 1e-3 && vanish.data == ManifoldSpec(kind: .line))
        let dirac = try DiracCommand.parse([]).configuration()
        #expect(dirac.learningRate == 0.1 && dirac.noise == 0.5 && dirac.gamma == 1 && dirac.clip == 1 && dirac.loss == .minimax)
    }

    @Test("the old spellings give the same configuration as the new ones")
    func oldSpellings() throws {
        #expect(try VanishCommand.parse(["--gap", "0.5", "--d-steps", "30"]).configuration()
                == VanishCommand.parse(["--offset", "0.5", "--steps", "30"]).configuration())
        #expect(try DiracCommand.parse(["--sigma", "0.2", "--h", "0.05", "--loss", "nsgan"]).configuration()
                == DiracCommand.parse(["--noise", "0.2", "--lr", "0.05", "--loss", "nonsat"]).configuration())
        #expect(try DiracCommand.parse(["--loss", "gan"]).configuration().loss == .minimax)
        // Both spellings at once is a conflict, not a silent choice.
        #expect(throws: ManifoldLabError.self) { _ = try VanishCommand.parse(["--gap", "0.5", "--offset", "2"]).configuration() }
        // The old names are hidden.
        #expect(!VanishCommand.helpMessage(columns: 1000).contains("--gap"))
        #expect(!DiracCommand.helpMessage(columns: 1000).contains("--sigma"))
    }

    @Test("--data and --latent: line and 1 for train-toy and vanish, ring and 2 for compare-techniques, as their descriptions say")
    func dataAndLatent() throws {
        let toy = try TrainToyCommand.parse([]).model.resolved()
        #expect(toy.data.kind == .line && toy.latentSize == 1)
        let compare = try CompareTechniquesCommand.parse([]).model.resolved(defaultData: .ring, defaultLatent: 2)
        #expect(compare.data.kind == .ring && compare.latentSize == 2)
        // A name in any case; a name that is not one is refused by the parser, listing the names.
        #expect(try SampleCommand.parse(["--manifold", "Helix"]).manifold == .helix)
        #expect(throws: (any Error).self) { try TrainToyCommand.parse(["--data", "helix2"]) }
        #expect(CompareTechniquesCommand.helpMessage(columns: 1000).contains("Defaults: ring (8 modes, std 0.01) in R^64, latent 2"))
        #expect(VanishCommand.helpMessage(columns: 1000).contains("Defaults: --data line, --latent 1, --dim 64"))
        #expect(TrainToyCommand.helpMessage(columns: 1000).contains("Defaults: line in R^64, latent k = 1"))
    }

    @Test("semi-supervised: the defaults its description names")
    func semiSupervised() throws {
        let c = try SemiSupervisedCommand.parse([]).configuration()
        #expect(c == SemiSupervisedConfiguration())
        #expect(c.data.kind == .grid && c.dimension == 64 && c.labels == 2 && c.unlabelled == 10_000 && c.layers == 2 && c.hidden == 128)
        #expect(c.latent == 2 && c.latentDistribution == .uniform && c.batch == 100 && c.steps == 2000 && c.learningRate == 1e-3)
        #expect(c.supervisedWeight == 1 && c.unsupervisedWeight == 1 && c.generatorCost == .featureMatching && c.seeds == 1)
        let help = SemiSupervisedCommand.helpMessage(columns: 1000)
        #expect(help.contains("Defaults: grid (25 modes) in R^64, 2 labels per class in a pool of 10 000 points"))
        #expect(help.contains("batch 100, 2000 steps, Adam lr 1e-3 β₁ 0.5"))
    }

    @Test("shape defaults the help names: ring 8 modes of std 0.01, grid 25 modes (5×5) of std 0.05, sphere S², gaussian s = 1")
    func shapes() throws {
        func mixture(_ kind: ManifoldKind) throws -> GaussianMixture {
            try #require(try ManifoldSpec(kind: kind).manifold(dimension: 8) as? GaussianMixture)
        }
        #expect(try (ManifoldSpec(kind: .sphere).manifold(dimension: 8) as? Sphere)?.intrinsicDimension == 2)
        #expect(try (ManifoldSpec(kind: .gaussian).manifold(dimension: 8) as? GaussianMixture)?.standardDeviation == 1)
        #expect(try mixture(.ring).means.count == 8 && mixture(.ring).standardDeviation == 0.01)
        #expect(try mixture(.grid).means.count == 25 && mixture(.grid).standardDeviation == 0.05)
        let help = SampleCommand.helpMessage(columns: 1000)
        #expect(help.contains("Number of modes of `ring` (default 8) or `grid` (default 25 = 5×5; a square number)"))
        let sixteen = try #require(try ManifoldSpec(kind: .grid, modes: 16).manifold(dimension: 8) as? GaussianMixture)
        #expect(sixteen.means.count == 16)
        #expect(throws: ManifoldLabError.self) { try ManifoldSpec(kind: .grid, modes: 5).manifold(dimension: 8) }
        #expect(help.contains("`ring` (default 0.01) and `grid` (default 0.05)"))
    }

    @Test("a value outside a long fixed list: one line on stderr that lists every allowed value, exit 64")
    func allowedValuesOnOneLine() throws {
        let run = try CommandLineRunner.run(["sample", "--manifold", "foo"])
        #expect(run.status == 64 && run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("'foo'") && run.stderr.contains("'swissroll'") && run.stderr.contains("'grid'"), "\(run.stderr)")
    }

    @Test("--n: the per-method defaults the help lists are the counts each method draws")
    func sampleSizes() throws {
        let help = JSCommand.helpMessage(columns: 1000)
        for count in [DivergenceEngine.defaultSmoothedCount, DivergenceEngine.defaultSurfaceSmoothedCount, DivergenceEngine.defaultKNNCount,
                      DivergenceEngine.defaultClassifierCount, WassersteinMethods.defaultExactCount,
                      WassersteinMethods.defaultSinkhornCount, WassersteinMethods.defaultSlicedCount] {
            #expect(help.contains(String(count)), "\(count) not in the --n help")
        }
        func n(_ kind: DivergenceKind, _ method: DivergenceMethod, noise: Double = 0, p: ManifoldKind = .helix, q: ManifoldKind = .circle) throws -> Int {
            let request = DivergenceRequest(p: .manifold(ManifoldSpec(kind: p)), q: .manifold(ManifoldSpec(kind: q)), noise: noise, method: method)
            return try DivergenceEngine.run(request, kinds: [kind])[0].n
        }
        #expect(try n(.js, .smoothed, noise: 0.2) == DivergenceEngine.defaultSmoothedCount)
        #expect(try n(.js, .smoothed, noise: 0.3, p: .sphere, q: .sphere) == DivergenceEngine.defaultSurfaceSmoothedCount)
        #expect(try n(.kl, .knn, noise: 0.2) == DivergenceEngine.defaultKNNCount)
        #expect(try n(.w1, .exact) == WassersteinMethods.defaultExactCount)
        #expect(try n(.w2, .sinkhorn) == WassersteinMethods.defaultSinkhornCount)
        #expect(try n(.w1, .sliced) == WassersteinMethods.defaultSlicedCount)
    }
}
