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

    /// The JSON line of `generator.json`: the network's own `Codable` form.
    func jsonLine() -> String {
        switch self {
        case .mlp(let g): return JSONOutput.line(g)
        case .virtualBatchNorm(let g): return JSONOutput.line(g)
        }
    }
}
