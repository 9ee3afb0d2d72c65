import Foundation
import ManifoldLabCore

/// The GAN objective: what D minimises and what G minimises.
public enum GANLoss: String, CaseIterable, Codable, Sendable {
    /// Goodfellow et al. 2014: D cross-entropy, G minimises E log(1 − D(G(z))) (saturates).
    case minimax
    /// The "−log D" trick: D cross-entropy, G minimises −E log D(G(z)).
    case nonsat
    /// WGAN (Arjovsky, Chintala & Bottou 2017): linear critic, weights clipped to ±`--clip`.
    case wgan
    /// WGAN-GP (Gulrajani et al. 2017): linear critic, λ(‖∇D(x̂)‖ − 1)² at interpolates.
    case wganGP = "wgan-gp"
    /// R1 (Mescheder et al. 2018): D cross-entropy plus (γ/2)‖∇D(x)‖² at real data; G non-saturating.
    case r1

    public var summary: String {
        switch self {
        case .minimax: return "D: cross-entropy; G minimises E log(1 − D(G(z))) (the original cost, saturates)"
        case .nonsat: return "D: cross-entropy; G minimises −E log D(G(z)) (non-saturating)"
        case .wgan: return "linear critic with weights clipped to ±\(parameter: "clip") (RMSProp 5e-5 unless told); G minimises −E D(G(z))"
        case .wganGP: return "linear critic + \(parameter: "gamma")·(‖∇D(x̂)‖ − 1)² at interpolates (γ = 10 default); G minimises −E D(G(z))"
        case .r1: return "cross-entropy + \(parameter: "gamma")/2·‖∇D(x)‖² at real data (γ = 1 default); G non-saturating"
        }
    }

    /// Whether D's output is a critic value rather than a logit.
    public var isWasserstein: Bool { self == .wgan || self == .wganGP }

    var realLoss: LogitLoss { isWasserstein ? .criticReal : .discriminatorReal() }
    var fakeLoss: LogitLoss { isWasserstein ? .criticFake : .discriminatorFake }
    var generatorLoss: LogitLoss {
        switch self {
        case .minimax: return .minimaxGenerator
        case .nonsat, .r1: return .nonSaturatingGenerator
        case .wgan, .wganGP: return .wassersteinGenerator
        }
    }

    /// D (critic) updates per G update when `--d-steps` is not given: the published recipes' n_critic =
    /// 5 for wgan (Arjovsky et al. 2017, Algorithm 1) and wgan-gp (Gulrajani et al. 2017, Algorithm 1);
    /// k = 1 for minimax and nonsat (Goodfellow et al. 2014's experiments) and r1 (Mescheder et al. 2018).
    public var defaultDiscriminatorSteps: Int {
        switch self {
        case .wgan, .wganGP: return 5
        case .minimax, .nonsat, .r1: return 1
        }
    }

    /// Adam's (β₁, β₂) for this loss: (0.5, 0.9) for wgan-gp, as Gulrajani et al.'s toy experiments;
    /// (0.5, 0.999) otherwise (DCGAN's, Radford et al. 2016).
    public var adamBetas: (Double, Double) {
        self == .wganGP ? (0.5, 0.9) : (0.5, 0.999)
    }

    /// The penalty weight when `--gamma` is not given.
    var defaultGamma: Double {
        switch self {
        case .wganGP: return 10
        case .minimax, .nonsat, .wgan, .r1: return 1
        }
    }

    /// Which of G's costs trains it, in the words of the text summary.
    var trainingCost: String {
        switch self {
        case .minimax: return "minimax"
        case .nonsat, .r1: return "−log D"
        case .wgan, .wganGP: return "the critic's linear cost"
        }
    }
}

/// The law of the generator's latent z ∈ R^k.
public enum LatentDistribution: String, CaseIterable, Codable, Sendable {
    /// U[−1, 1]^k.
    case uniform
    /// N(0, I_k).
    case normal
}

/// The optimiser of both players (PyTorch's update rules).
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
    case adam, rmsprop, sgd
}

/// The arithmetic every network runs in.
public enum Precision: String, CaseIterable, Codable, Sendable {
    case double, float
}

/// The generator's family.
public enum GeneratorKind: String, CaseIterable, Codable, Sendable {
    /// latent → H → … → H → D, ReLU, linear output.
    case mlp
    /// G(z) = a + B z: exactly a flat (an MLP without hidden layers).
    case affine
}

/// How the Wasserstein-1 diagnostic is computed on the fixed evaluation batch.
public enum W1Method: String, CaseIterable, Codable, Sendable {
    /// Exact optimal transport between the two evaluation batches.
    case exact
    /// Sliced W1 (mean over 200 orthogonal directions): cheaper, smaller by about 1/√D.
    case sliced
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The case spelled `name`, or an error naming `option` and listing the spellings (exit 64).
    public static func named(_ name: String, option: String) throws(ManifoldLabError) -> Self {
        guard let value = allCases.first(where: { $0.rawValue == name }) else {
            throw .invalidValue(parameter: option, value: name,
                                 allowed: "one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
