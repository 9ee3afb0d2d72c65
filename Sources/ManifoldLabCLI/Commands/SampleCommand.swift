import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab sample`: draw points from a manifold distribution in R^D.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw points from a distribution on a manifold in R^D (CSV or JSON).",
        discussion: """
        Each manifold has canonical coordinates in R^m (m = the dimension of its flat) placed in R^D by a
        seeded random orthonormal frame, centred at the origin. Manifolds:
        \(ManifoldKind.allCases.map { "  \($0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        Without --against the sample is P, the same P that `js --p <manifold> --seed S` compares.
        With --against P, the sample is Q placed against P by --offset, --angle and --same-frame.
        --noise σ adds N(0, σ²I_D) to every point from a stream of its own: the clean points stay put.
        """
    )

    @Option(help: "The manifold to sample (see the list above).", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var manifold: ManifoldKind = .line

    @Option(help: "Ambient dimension D.")
    var dim: Int = 3

    @Option(help: "Number of points.")
    var n: Int = 1000

    @Option(help: "σ of the instance noise N(0, σ²I_D) added to every point.")
    var noise: Double = 0

    @Option(help: "Sample Q placed against this P (a manifold name), instead of P itself.", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var against: ManifoldKind?

    @OptionGroup var shape: ShapeOptionGroup
    @OptionGroup var placement: PlacementOptionGroup
    @OptionGroup var common: RunOptionGroup
    @OptionGroup var output: OutputOptionGroup

    func run() throws {
        try output.header.check(csv: output.format == .csv)
        var names = [(name: manifold.rawValue, option: "manifold")]
        if let against { names.append((against.rawValue, "against")) }
        let specs = try shape.specs(names)
        try FrameBudget.check(specs, dimension: dim)
        let request = SampleRequest(manifold: specs[0], against: specs.count > 1 ? specs[1] : nil, dimension: dim,
                                    count: n, noise: noise, placement: placement.placement,
                                    seed: Seed(common.seed), maxMemory: try common.maxMemory())
        _ = try request.distribution()
        let sink = try output.openSink()
        // Ctrl-C / SIGTERM while writing: exit 130 at the next chunk, the temporary file removed.
        Signals.install(stopAtCheckpoints: true)
        let points = try request.run()
        switch output.format {
        case .json:  // numbers by the one JSON rule (NumberFormat.json); the points are finite (SampleRequest.run)
            try sink.write("{\"parameters\":\(JSONOutput.line(request)),\"points\":[")
            var chunk = ""
            for i in 0..<points.rows {
                chunk += (i == 0 ? "[" : ",[") + points.row(i).map(NumberFormat.json).joined(separator: ",") + "]"
                if chunk.utf8.count > 1 << 20 { Interruption.checkpoint(); try sink.write(chunk); chunk = "" }
            }
            try sink.write(chunk + "]}\n")
        case .csv:
            try points.writeCSV(header: !output.header.noHeader) { text throws(ManifoldLabError) in try sink.write(text) }
        case .npy:
            try sink.write(NumPyArray.encode(points))
        }
        try sink.commit()
    }
}
