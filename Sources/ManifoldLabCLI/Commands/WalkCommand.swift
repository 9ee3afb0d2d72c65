import ArgumentParser
import Foundation
import ManifoldLabCore
import ManifoldLabGAN

extension LatentInterpolation: ExpressibleByArgument {}

/// `manifoldlab walk`: walks a trained generator's latent space from z₁ to z₂ and follows the
/// generated points through data space, measuring how far they stray from the data's manifold.
struct WalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk",
        abstract: "Walk a trained generator's latent space from z1 to z2 and measure the path's distance to the data manifold.",
        discussion: """
        Reads a run written by `train-toy --out DIR`: generator.json (the final generator) and manifest.json \
        (the configuration, from which the data's manifold and its placement in R^D are rebuilt exactly as \
        the trainer drew them from the seed). Then evaluates G at N + 1 latent points z(t), t = 0, 1/N, …, 1 \
        (the DCGAN latent walk). For each generated point x = G(z(t)) a row gives:

        distance: the Euclidean distance in R^D from x to the data's shape, √(off_span² + in_span²), where \
        off_span is the distance from x to the data's flat (the span of its frame) and in_span the distance, \
        inside that flat, to the shape: a closed form for line, plane, flat, circle, sphere and torus; \
        minimised over the curve parameter for helix and swissroll; 0 for the mixtures ring, grid and \
        gaussian, whose support is the whole flat (their rows add the nearest mode and the distance to its \
        centre in R^D).

        step_length: ‖x(tᵢ) − x(tᵢ₋₁)‖, the distance moved from the previous point (0 at t = 0). u1…um: x's \
        coordinates along the data's m axes (and x1…xD with --full).

        The summary gives the path length (the sum of the step lengths), the chord ‖G(z2) − G(z1)‖, and the largest \
        and the mean distance to the manifold over the N + 1 points.

        Interpolation: linear, z(t) = (1 − t)z1 + t·z2; or slerp (White 2016, "Sampling Generative \
        Networks"), z(t) = sin((1 − t)Ω)/sin Ω·z1 + sin(tΩ)/sin Ω·z2 with Ω the angle between z1 and z2. \
        For a normal latent the codes the generator saw lie near the sphere of radius √k, and a straight \
        segment between two of them cuts inside it; slerp keeps the norm (exactly, when |z1| = |z2|). When \
        an endpoint is 0 or the endpoints are parallel or opposite (sin Ω < 1e-6) slerp is undefined or \
        ill-conditioned: the walk is then linear and a note says so.

        Default endpoints: uniform latent: (−1, …, −1) to (1, …, 1), the diagonal of the latent box \
        (opposite corners: slerp falls back to linear); normal latent: −2 to 2 for k = 1, else 2e1 to 2e2 \
        (a quarter turn at radius 2).
        """
    )

    @Option(name: .customLong("run"), help: "The run directory written by `train-toy --out DIR` (needs generator.json and manifest.json).", completion: .directory)
    var runDirectory: String

    @Option(parsing: .unconditional, help: "Start z1: k comma-separated numbers, k the run's latent dimension (default: see above).")
    var from: String?

    @Option(parsing: .unconditional, help: "End z2: k comma-separated numbers (default: see above).")
    var to: String?

    @Option(help: "N, the number of intervals (the walk has N + 1 points), 1 ≤ N ≤ \(WalkRequest.maxSteps).")
    var steps: Int = 20

    @Option(help: "linear or slerp (spherical, for normal latents).")
    var interp: LatentInterpolation = .linear

    @Flag(help: "Also print every generated coordinate x1…xD.")
    var full = false

    @Option(help: "text (a table and a summary line), csv (one row per point) or json (one object: summary and rows).")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup

    @Option(help: "A file (one table) to write to, atomically (a temporary file renamed when complete), instead of stdout.", completion: .file())
    var out: String?

    func run() throws {
        try header.check(csv: format == .csv)
        var request = WalkRequest(steps: steps, interpolation: interp, fullCoordinates: full)
        try request.validateSteps()
        let trained = try TrainedRun.load(directory: runDirectory)
        let k = trained.configuration.latent
        request.from = try from.map { text throws(ManifoldLabError) in try WalkRequest.parseLatent(text, option: "from", latent: k) }
        request.to = try to.map { text throws(ManifoldLabError) in try WalkRequest.parseLatent(text, option: "to", latent: k) }
        // Opened before the walk, so an unwritable --out fails first (exit 73) and leaves nothing behind.
        let sink: OutputSink = try out.map { path throws(ManifoldLabError) in .file(try OutputFile(path: path)) } ?? .standardOutput
        let walk = try trained.walk(request)
        switch format {
        case .text: try sink.write(walk.text)
        case .csv:
            // CSV has no room for it; text and JSON carry the note themselves.
            if let note = walk.path.note { FileHandle.standardError.write(Data("manifoldlab: note: \(note)\n".utf8)) }
            try sink.write(header.table(walk.csv))
        case .json: try sink.write(walk.json)
        }
        try sink.commit()
    }
}
