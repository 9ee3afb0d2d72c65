import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Optimisers against hand-computed updates")
struct OptimizerTests {
    @Test("Adam: the first step moves each parameter by lr·sign(g); the second follows the formula")
    func adam() {
        var adam = Adam<Double>(learningRate: 1e-2, beta1: 0.5, beta2: 0.999)
        var theta = [1.0, -2.0, 0.5]
        let g1 = [0.3, -4.0, 1e-3], g2 = [-0.1, 2.0, 1e-3]
        adam.step(parameters: &theta, gradients: g1)
        let afterFirst = [1.0 - 1e-2, -2.0 + 1e-2, 0.5 - 1e-2]
        for i in 0..<3 { #expect(abs(theta[i] - afterFirst[i]) < 1e-7) } // ε/|g| ≤ 1e-5 of lr
        adam.step(parameters: &theta, gradients: g2)
        for i in 0..<3 {
            let m = 0.5 * (0.5 * g1[i]) + 0.5 * g2[i]
            let v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i]
            let mHat = m / (1 - 0.25), vHatRoot = (v).squareRoot() / (1 - 0.999 * 0.999).squareRoot()
            let firstExact = [1.0, -2.0, 0.5][i] - 1e-2 * g1[i] / (abs(g1[i]) + 1e-8)
            #expect(abs(theta[i] - (firstExact - 1e-2 * mHat / (vHatRoot + 1e-8))) < 1e-14)
        }
        #expect(adam.stepCount == 2)
    }

    @Test("RMSProp: s = (1 − α)g² then θ −= lr·g/(√s + ε)")
    func rmsProp() {
        var rms = RMSProp<Double>(learningRate: 5e-5)
        var theta = [1.0, 2.0]
        let g = [0.5, -0.25]
        rms.step(parameters: &theta, gradients: g)
        for i in 0..<2 {
            let s = 0.01 * g[i] * g[i]
            #expect(abs(theta[i] - ([1.0, 2.0][i] - 5e-5 * g[i] / (s.squareRoot() + 1e-8))) < 1e-15)
        }
        rms.step(parameters: &theta, gradients: g)
        // Second step with the same gradient: s = 0.99·0.01g² + 0.01g².
        let s2 = (0.99 * 0.01 + 0.01) * 0.25
        let expected = 1.0 - 5e-5 * 0.5 / ((0.01 * 0.25).squareRoot() + 1e-8) - 5e-5 * 0.5 / (s2.squareRoot() + 1e-8)
        #expect(abs(theta[0] - expected) < 1e-15)
    }

    @Test("SGD: plain and with PyTorch's momentum (v = g first, then μv + g)")
    func sgd() {
        var plain = SGD<Double>(learningRate: 0.1)
        var theta = [1.0, -1.0]
        plain.step(parameters: &theta, gradients: [2.0, 3.0])
        #expect(theta == [1.0 - 0.2, -1.0 - 0.3])
        var heavy = SGD<Double>(learningRate: 0.1, momentum: 0.9)
        var phi = [0.0]
        heavy.step(parameters: &phi, gradients: [1.0])
        heavy.step(parameters: &phi, gradients: [1.0])
        #expect(abs(phi[0] - (-0.1 - 0.1 * 1.9)) < 1e-15)
    }

    @Test("weight clipping bounds every parameter; Float Adam agrees with Double Adam")
    func clippingAndFloat() {
        var net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [2, 4, 1]), seed: Seed(2))
        net.clipParameters(to: 0.01)
        #expect(net.parameters.allSatisfy { abs($0) <= 0.01 })
        #expect(net.parameters.contains { abs($0) == 0.01 })

        var a64 = Adam<Double>(learningRate: 1e-3), a32 = Adam<Float>(learningRate: 1e-3)
        var p64 = [0.5, -0.5], p32: [Float] = [0.5, -0.5]
        for t in 0..<5 {
            let g = [sin(Double(t)), cos(Double(t))]
            a64.step(parameters: &p64, gradients: g)
            a32.step(parameters: &p32, gradients: g.map { Float($0) })
        }
        for i in 0..<2 { #expect(abs(Double(p32[i]) - p64[i]) < 1e-6) }
    }

    @Test("Adam fits a 1-D regression with a small tanh network (loss falls 10×)")
    func training() {
        let rng = RandomStream(seed: Seed(9))
        var net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [1, 16, 1], hidden: .tanh), rng: rng)
        let x = Matrix<Double>(rows: 32, columns: 1, storage: (0..<32).map { Double($0) / 16 - 1 })
        let y = x.storage.map { sin(3 * $0) }
        var adam = Adam<Double>(learningRate: 1e-2)
        let tape = net.makeTape()
        var gradient = Matrix<Double>(rows: 32, columns: 1)
        func loss() -> Double {
            net.forward(x, tape: tape)
            var total = 0.0
            for i in 0..<32 {
                let residual = tape.outputBuffer[i] - y[i]
                total += residual * residual / 32
                gradient.storage[i] = 2 * residual / 32
            }
            return total
        }
        let initial = loss()
        for _ in 0..<300 {
            _ = loss()
            net.zeroGradients()
            net.backward(outputGradient: gradient, tape: tape)
            adam.step(&net)
        }
        #expect(loss() < initial / 10)
    }
}
