import ManifoldLabCore
/// A trained generator as `generator.json` holds it, in Double: a plain MLP, or a virtual-batch-norm
/// network with its fixed reference batch (so G(z) is the same function of z it was in training).
public enum SavedGenerator: Sendable {
    case mlp(MLP<Double>)
    case virtualBatchNorm(VirtualBatchNormNetwork<Double>)

    public var architecture: MLPArchitecture {
        switch self {
        case .mlp(let g): return g.architecture
        case .virtualBatchNorm(let g): return g.architecture
        }
    }

    /// The dense layers' weights and biases (layout of ``MLP/parameters``; VBN's γ, β apart).
    public var parameters: [Double] {
        switch self {
        case .mlp(let g): return g.parameters
        case .virtualBatchNorm(let g): return g.parameters
        }
    }

    public var parametersAreFinite: Bool {
        switch self {
        case .mlp(let g): return g.parametersAreFinite
        case .virtualBatchNorm(let g): return g.parametersAreFinite
        }
    }

    /// G at the rows of `latent` (rows × k).
    public func callAsFunction(_ latent: Matrix<Double>) -> Matrix<Double> {
        switch self {
        case .mlp(let g): return g(latent)
        case .virtualBatchNorm(let g): return g(latent)
        }
    }

    /// The JSON line of `generator.json`: the network's own `Codable` form, plus `run_id` (the run
    /// that wrote it, also in its manifest) when given.
    func jsonLine(runID: String? = nil) -> String {
        switch self {
        case .mlp(let g): return JSONOutput.line(RunStamped(network: g, runID: runID))
        case .virtualBatchNorm(let g): return JSONOutput.line(RunStamped(network: g, runID: runID))
        }
    }
}

/// A network encoded as its own keys plus `run_id`, in one JSON object (decoders of the network
/// ignore the extra key, so older readers still read the file).
struct RunStamped<Network: Encodable>: Encodable {
    let network: Network
    let runID: String?

    // "runId": the one JSON policy writes snake_case (run_id) and reads it back as camelCase.
    enum CodingKeys: String, CodingKey { case runID = "runId" }

    func encode(to encoder: any Encoder) throws {
        try network.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(runID, forKey: .runID)
    }
}

/// The `run_id` of a `generator.json` or `manifest.json`; nil in files written before run ids.
struct RunStamp: Decodable {
    let runID: String?
    // "runId": the one JSON policy writes snake_case (run_id) and reads it back as camelCase.
    enum CodingKeys: String, CodingKey { case runID = "runId" }
}
