import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("MLP layout, initialisation, forward pass and precision")
struct MLPTests {
    @Test("flat layout: W₀ b₀ W₁ b₁ …, with per-layer views")
    func layout() {
        let architecture = MLPArchitecture(input: 3, width: 4, hiddenLayers: 2, output: 1)
        #expect(architecture.layerSizes == [3, 4, 4, 1])
        #expect(architecture.parameterCount == 3 * 4 + 4 + 4 * 4 + 4 + 4 + 1)
        let layout = architecture.layout
        #expect(layout[0].weightRange == 0..<12 && layout[0].biasRange == 12..<16)
        #expect(layout[1].weightOffset == 16 && layout[2].end == architecture.parameterCount)
        var net = MLP<Double>(architecture: architecture, seed: Seed(1))
        net.setBiases(ofLayer: 1, to: [1, 2, 3, 4])
        #expect(Array(net.parameters[32..<36]) == [1, 2, 3, 4])
        #expect(net.weights(ofLayer: 2).rows == 1 && net.weights(ofLayer: 2).columns == 4)
    }

    @Test("PyTorch's default init: weights and biases U(−1/√fan_in, 1/√fan_in); seeded")
    func initialisation() {
        let architecture = MLPArchitecture(layerSizes: [64, 128, 1])
        let net = MLP<Double>(architecture: architecture, seed: Seed(7))
        for layer in net.layers {
            let bound = 1 / Double(layer.inputs).squareRoot()
            let values = net.parameters[layer.weightOffset..<layer.end]
            #expect(values.allSatisfy { abs($0) <= bound })
            #expect(values.max()! > 0.9 * bound && values.min()! < -0.9 * bound)
        }
        // Variance of U(−b, b) is b²/3.
        let w = Array(net.parameters[net.layers[0].weightRange])
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        #expect(abs(variance / (1.0 / 64 / 3) - 1) < 0.05)
        #expect(MLP<Double>(architecture: architecture, seed: Seed(7)).parameters == net.parameters)
        #expect(MLP<Double>(architecture: architecture, seed: Seed(8)).parameters != net.parameters)
        #expect(MLP<Float>(architecture: architecture, seed: Seed(7)).parameters == net.parameters.map { Float($0) })
        let glorot = MLP<Double>(architecture: architecture, seed: Seed(7), initialisation: .glorotUniform)
        #expect(glorot.biases(ofLayer: 0).allSatisfy { $0 == 0 })
    }

    @Test("forward pass agrees with the definition, for every activation",
          arguments: [Activation.relu, .leakyRelu(slope: 0.1), .tanh, .sigmoid, .identity])
    func forwardDefinition(hidden: Activation) {
        let rng = RandomStream(seed: Seed(3))
        let net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [3, 4, 2], hidden: hidden, output: .tanh), rng: rng)
        let x = GradientCheck.matrix(rows: 5, columns: 3, rng: rng)
        let output = net(x)
        let w0 = net.weights(ofLayer: 0), b0 = net.biases(ofLayer: 0)
        let w1 = net.weights(ofLayer: 1), b1 = net.biases(ofLayer: 1)
        for r in 0..<5 {
            let h = (0..<4).map { i in hidden((0..<3).reduce(b0[i]) { $0 + w0[i, $1] * x[r, $1] }) }
            for j in 0..<2 {
                let expected = Foundation.tanh((0..<4).reduce(b1[j]) { $0 + w1[j, $1] * h[$1] })
                #expect(abs(output[r, j] - expected) < 1e-14)
            }
        }
    }

    @Test("Float and Double runs of the same network agree to ~1e-5 (outputs, gradients, penalty)")
    func floatMatchesDouble() {
        let rng = RandomStream(seed: Seed(17))
        let architecture = MLPArchitecture(layerSizes: [8, 16, 16, 1], hidden: .tanh)
        var d64 = MLP<Double>(architecture: architecture, rng: rng)
        var d32 = MLP<Float>(converting: d64)
        let x64 = GradientCheck.matrix(rows: 16, columns: 8, rng: rng)
        let x32 = Matrix<Float>(rows: 16, columns: 8, storage: x64.storage.map { Float($0) })
        let t64 = d64.makeTape(), t32 = d32.makeTape()
        d64.forward(x64, tape: t64); d32.forward(x32, tape: t32)
        let l64 = d64.backward(loss: .discriminatorReal(target: 0.9), tape: t64)
        let l32 = d32.backward(loss: .discriminatorReal(target: 0.9), tape: t32)
        #expect(abs(Double(l32) - l64) < 1e-5)
        let p64 = d64.accumulatePenaltyGradient(.wganGP(), at: x64, tape: t64)
        let p32 = d32.accumulatePenaltyGradient(.wganGP(), at: x32, tape: t32)
        #expect(abs(p32.value - p64.value) < 1e-5 * max(1, p64.value))
        let g32 = d32.gradients.map { Double($0) }
        #expect(GradientCheck.relativeError(g32, d64.gradients) < 1e-5)
    }

    @Test("the same seed gives bit-identical training steps")
    func determinism() {
        func run() -> [Double] {
            let rng = RandomStream(seed: Seed(99))
            var net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [2, 8, 1]), rng: rng)
            var adam = Adam<Double>(learningRate: 1e-3, beta1: 0.5)
            let tape = net.makeTape()
            for _ in 0..<3 {
                net.forward(GradientCheck.matrix(rows: 8, columns: 2, rng: rng), tape: tape)
                net.zeroGradients()
                net.backward(loss: .discriminatorReal(), tape: tape)
                adam.step(&net)
            }
            return net.parameters
        }
        #expect(run() == run())
    }

    @Test("WGAN-GP interpolates lie on the segments between real and fake rows")
    func interpolates() {
        let rng = RandomStream(seed: Seed(5))
        let real = GradientCheck.matrix(rows: 6, columns: 3, rng: rng)
        let fake = GradientCheck.matrix(rows: 6, columns: 3, rng: rng)
        var mixed = Matrix<Double>(rows: 0, columns: 0)
        NormPenalty.interpolate(real: real, fake: fake, rng: rng, into: &mixed)
        for r in 0..<6 {
            // x̂ − fake = α (real − fake) with the same α ∈ [0, 1) in every column.
            let alpha = (mixed[r, 0] - fake[r, 0]) / (real[r, 0] - fake[r, 0])
            #expect(alpha >= 0 && alpha < 1)
            for j in 0..<3 { #expect(abs(mixed[r, j] - (alpha * real[r, j] + (1 - alpha) * fake[r, j])) < 1e-12) }
        }
    }
}

@Suite("MLP saving")
struct MLPCodingTests {
    @Test("a network survives a JSON round trip exactly; a wrong parameter count is refused")
    func roundTrip() throws {
        let net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [2, 3, 1], hidden: .leakyRelu(slope: 0.2)), seed: Seed(1))
        let data = try JSONEncoder().encode(net)
        let back = try JSONDecoder().decode(MLP<Double>.self, from: data)
        #expect(back.parameters == net.parameters && back.architecture == net.architecture)
        var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["parameters"] = [1.0, 2.0]
        let broken = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MLP<Double>.self, from: broken) }
    }
}
