import Foundation
import ManifoldLabCore

/// The "Improved Techniques for Training GANs" (Salimans et al. 2016) that `train-toy` can switch
/// on, each composing with the losses where it is defined. All off by default.
public struct Techniques: Sendable, Equatable, Codable {
    /// G minimises ‖E f(x) − E f(G(z))‖² over D's last hidden layer f instead of its GAN cost.
    public var featureMatching = false
    /// (B, C) of the minibatch-discrimination layer inserted before D's output, or nil.
    public var minibatchDiscrimination: MinibatchShape?
    /// λ of the historical-averaging term λ‖θ − θ̄‖² added to both players' costs (0: off).
    public var historicalAveraging = 0.0
    /// α: D's target on real data (one-sided label smoothing; 1: off; fake targets stay 0).
    public var labelSmoothing = 1.0
    /// Virtual batch normalisation in G's hidden layers against a fixed reference batch of latents
    /// (``VirtualBatchNormNetwork``; R = the batch size, drawn once from `seed.child("vbn-reference")`).
    public var virtualBatchNorm = false

    public init(featureMatching: Bool = false, minibatchDiscrimination: MinibatchShape? = nil,
                historicalAveraging: Double = 0, labelSmoothing: Double = 1, virtualBatchNorm: Bool = false) {
        self.featureMatching = featureMatching
        self.minibatchDiscrimination = minibatchDiscrimination
        self.historicalAveraging = historicalAveraging
        self.labelSmoothing = labelSmoothing
        self.virtualBatchNorm = virtualBatchNorm
    }

    /// No technique on.
    public static let none = Techniques()

    public var isEmpty: Bool { self == .none }

    /// Short names of the techniques switched on (`plain` when none), for tables and summaries.
    public var label: String {
        var parts: [String] = []
        if featureMatching { parts.append("feature-matching") }
        if let m = minibatchDiscrimination { parts.append("minibatch-disc \(m.kernels),\(m.dimension)") }
        if historicalAveraging > 0 { parts.append("historical-avg \(NumberFormat.text(historicalAveraging))") }
        if labelSmoothing < 1 { parts.append("label-smoothing \(NumberFormat.text(labelSmoothing))") }
        if virtualBatchNorm { parts.append("virtual-batchnorm") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " + ")
    }

    /// Refuses values out of range and combinations that are not defined (exit status 64).
    public func validate(loss: GANLoss, layers: Int, generator: GeneratorKind = .mlp) throws(ManifoldLabError) {
        if virtualBatchNorm && generator != .mlp {
            throw .conflictingOptions("\(parameter: "virtual_batchnorm") needs \(parameter: "generator") mlp: an \(generator.rawValue) G has no hidden layer to normalise")
        }
        if virtualBatchNorm && layers < 1 {
            throw .conflictingOptions("\(parameter: "virtual_batchnorm") needs a hidden layer in G to normalise (\(parameter: "layers") ≥ 1)")
        }
        if featureMatching && layers < 1 {
            throw .conflictingOptions("\(parameter: "feature_matching") needs a hidden layer in D to match (\(parameter: "layers") ≥ 1)")
        }
        if let m = minibatchDiscrimination {
            guard (1...1024).contains(m.kernels), (1...256).contains(m.dimension) else {
                throw .invalidValue(parameter: "minibatch_disc", value: "\(m.kernels),\(m.dimension)",
                                     allowed: "B,C with 1 ≤ B ≤ 1024 kernels of dimension 1 ≤ C ≤ 256")
            }
            if layers < 1 {
                throw .conflictingOptions("\(parameter: "minibatch_disc") needs a hidden layer in D to read features from (\(parameter: "layers") ≥ 1)")
            }
            if loss == .wganGP || loss == .r1 {
                throw .conflictingOptions("\(parameter: "minibatch_disc") does not combine with \(parameter: "loss") \(loss.rawValue): its gradient penalty is per example, and a minibatch layer makes D(x) depend on the whole batch (Gulrajani et al. 2017, §4)")
            }
        }
        guard historicalAveraging.isFinite, historicalAveraging >= 0 else {
            throw .invalidValue(parameter: "historical_avg", value: NumberFormat.echo(historicalAveraging),
                                 allowed: "a finite weight λ ≥ 0")
        }
        guard labelSmoothing.isFinite, labelSmoothing > 0, labelSmoothing <= 1 else {
            throw .invalidValue(parameter: "label_smoothing", value: NumberFormat.echo(labelSmoothing),
                                 allowed: "a real-data target α with 0 < α ≤ 1 (1: no smoothing)")
        }
        if labelSmoothing < 1 && loss.isWasserstein {
            throw .conflictingOptions("\(parameter: "label_smoothing") needs a cross-entropy D; \(parameter: "loss") \(loss.rawValue) has a critic without targets")
        }
    }
}

extension Techniques {
    /// The vocabulary's names (docs/vocabulary.md), written snake_case: feature_matching,
    /// minibatch_disc, historical_avg, label_smoothing, virtual_batchnorm — as the flags.
    private enum CodingKeys: String, CodingKey {
        case featureMatching, minibatchDiscrimination = "minibatchDisc", historicalAveraging = "historicalAvg"
        case labelSmoothing, virtualBatchNorm = "virtualBatchnorm"
    }

    /// Decodes every field, `virtualBatchNorm` absent meaning off: manifests written before it
    /// existed still load (`walk`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(featureMatching: try c.decode(Bool.self, forKey: .featureMatching),
                  minibatchDiscrimination: try c.decodeIfPresent(MinibatchShape.self, forKey: .minibatchDiscrimination),
                  historicalAveraging: try c.decode(Double.self, forKey: .historicalAveraging),
                  labelSmoothing: try c.decode(Double.self, forKey: .labelSmoothing),
                  virtualBatchNorm: try c.decodeIfPresent(Bool.self, forKey: .virtualBatchNorm) ?? false)
    }
}

/// The shape (B kernels of dimension C) of a minibatch-discrimination layer. In JSON it is `[B, C]`
/// everywhere (summary, manifest, configuration), as `--minibatch-disc B,C` spells it.
public struct MinibatchShape: Sendable, Equatable, Codable {
    public var kernels: Int
    public var dimension: Int

    public init(kernels: Int, dimension: Int) {
        self.kernels = kernels
        self.dimension = dimension
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(kernels)
        try c.encode(dimension)
    }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(kernels: try c.decode(Int.self), dimension: try c.decode(Int.self))
    }

    /// Parses `B,C` (e.g. `16,4`), naming `option` in the error.
    public static func parse(_ text: String, option: String = "minibatch_disc") throws(ManifoldLabError) -> MinibatchShape {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let b = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let c = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw .invalidValue(parameter: option, value: text, allowed: "two integers B,C (kernels, kernel dimension), e.g. 16,4")
        }
        return MinibatchShape(kernels: b, dimension: c)
    }
}
