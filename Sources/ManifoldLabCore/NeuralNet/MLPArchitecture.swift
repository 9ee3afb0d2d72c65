/// The shape of a multilayer perceptron: layer widths and activations.
///
/// `layerSizes = [in, H₁, …, H_k, out]` gives k + 1 dense layers; every hidden layer uses
/// `hidden`, the last layer uses `output` (identity for logits and critics, tanh optionally for a
/// generator's output).
public struct MLPArchitecture: Sendable, Hashable, Codable, CustomStringConvertible {
    public var layerSizes: [Int]
    public var hidden: Activation
    public var output: Activation

    public init(layerSizes: [Int], hidden: Activation = .relu, output: Activation = .identity) {
        precondition(layerSizes.count >= 2, "an MLP needs at least an input and an output size")
        precondition(layerSizes.allSatisfy { $0 >= 1 }, "layer sizes must be positive: \(layerSizes)")
        self.layerSizes = layerSizes
        self.hidden = hidden
        self.output = output
    }

    /// `input → width → … → width → output` with `hiddenLayers` hidden layers of `width` units.
    public init(input: Int, width: Int, hiddenLayers: Int, output: Int,
                hidden: Activation = .relu, outputActivation: Activation = .identity) {
        self.init(layerSizes: [input] + Array(repeating: width, count: hiddenLayers) + [output],
                  hidden: hidden, output: outputActivation)
    }

    public var inputSize: Int { layerSizes[0] }
    public var outputSize: Int { layerSizes[layerSizes.count - 1] }
    /// Number of dense layers (weight matrices).
    public var layerCount: Int { layerSizes.count - 1 }

    /// The activation after dense layer `index`.
    public func activation(ofLayer index: Int) -> Activation { index == layerCount - 1 ? output : hidden }

    /// Where each layer's weights and biases sit in the flat parameter vector.
    public var layout: [LayerLayout] {
        var offset = 0
        return (0..<layerCount).map { k in
            let layer = LayerLayout(inputs: layerSizes[k], outputs: layerSizes[k + 1], weightOffset: offset)
            offset = layer.end
            return layer
        }
    }

    /// Total number of weights and biases.
    public var parameterCount: Int { layout.last!.end }

    public var description: String {
        layerSizes.map(String.init).joined(separator: "→") + " (hidden \(hidden), output \(output))"
    }
}

/// One dense layer's place in the flat parameter vector: the `outputs × inputs` weight matrix W
/// (row-major, PyTorch's `nn.Linear.weight` layout) followed by the `outputs` biases.
/// The layer computes z = W a + b for each input row a.
public struct LayerLayout: Sendable, Hashable {
    public let inputs: Int
    public let outputs: Int
    public let weightOffset: Int
    public var weightCount: Int { inputs * outputs }
    public var biasOffset: Int { weightOffset + weightCount }
    /// One past the layer's last parameter.
    public var end: Int { biasOffset + outputs }
    public var weightRange: Range<Int> { weightOffset..<biasOffset }
    public var biasRange: Range<Int> { biasOffset..<end }
}

/// How initial weights are drawn (biases included), from one GSL stream.
public enum Initialisation: String, Sendable, Hashable, Codable, CaseIterable {
    /// PyTorch's default for `nn.Linear`: weights and biases U(−1/√fan_in, 1/√fan_in)
    /// (`kaiming_uniform_(a=√5)` reduces to this bound). The default, so that benchmarks against
    /// PyTorch compare like with like.
    case pytorchDefault = "pytorch"
    /// Glorot/Xavier uniform: weights U(−√(6/(fan_in + fan_out)), +…), biases zero.
    case glorotUniform = "glorot"
    /// He/Kaiming normal for ReLU networks: weights N(0, 2/fan_in), biases zero.
    case heNormal = "he"
}
