import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Virtual batch normalisation (Salimans et al. 2016, §3.4): the network against its definition and
/// central finite differences (Double), its defining property, and training with it.
@Suite("Virtual batch normalisation")
struct VirtualBatchNormTests {
    init() { BLASBackend.setThreads(1) }

    static let tolerance = 1e-6

    /// A small network [k, 5, 4, out] with R = 4 reference latents, γ and β moved off 1 and 0.
    static func network(hidden: Activation, seed: UInt64, latent: Int = 2, output: Int = 3) -> VirtualBatchNormNetwork<Double> {
        let rng = RandomStream(seed: Seed(seed).child(Seed.Purpose("test")))
        let reference = GradientCheck.matrix(rows: 4, columns: latent, rng: rng)
        var net = VirtualBatchNormNetwork<Double>(architecture: MLPArchitecture(layerSizes: [latent, 5, 4, output], hidden: hidden),
                                                  seed: Seed(seed), reference: reference)
        for k in 0..<2 {
            let h = net.layers[k].outputs, offset = net.gammaOffset(ofLayer: k)
            for j in 0..<h {
                net.scales[offset + j] = 1 + 0.3 * rng.gaussian()
                net.scales[offset + h + j] = 0.5 * rng.gaussian()
            }
        }
        return net
    }

    /// L = Σ W ⊙ G(x): ∂L/∂output = W.
    static func weightedOutput(_ net: VirtualBatchNormNetwork<Double>, _ x: Matrix<Double>, _ w: [Double]) -> Double {
        let tape = net.makeTape()
        net.forward(x, tape: tape)
        return zip(tape.outputBuffer, w).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test("∂L/∂W, ∂L/∂b, ∂L/∂γ, ∂L/∂β and ∂L/∂z match central differences (R = 4, B = 3)",
          arguments: [(Activation.tanh, UInt64(31)), (.relu, 32), (.sigmoid, 33)])
    func gradients(hidden: Activation, seed: UInt64) throws {
        var net = Self.network(hidden: hidden, seed: seed)
        let rng = RandomStream(seed: Seed(seed).child(Seed.Purpose("data")))
        let x = GradientCheck.matrix(rows: 3, columns: 2, rng: rng)
        let w = (0..<(3 * 3)).map { _ in rng.gaussian() }
        let tape = net.makeTape()
        net.forward(x, tape: tape)
        if hidden == .relu {
            // Central differences are only valid away from ReLU's kink at y = 0.
            let smallest = (0..<2).flatMap { k in (0..<(7 * net.layers[k].outputs)).map { abs(tape.y[k][$0]) } }.min()!
            try #require(smallest > 1e-3, "a hidden y is \(smallest) from the kink: pick another seed")
        }
        net.zeroGradients()
        w.withUnsafeBufferPointer { net.backward(outputGradient: $0, tape: tape, inputGradient: true) }

        let weightFD = GradientCheck.centralDifferences(at: net.parameters) { theta in
            var copy = net
            copy.parameters = theta
            return Self.weightedOutput(copy, x, w)
        }
        let scaleFD = GradientCheck.centralDifferences(at: net.scales) { s in
            var copy = net
            copy.scales = s
            return Self.weightedOutput(copy, x, w)
        }
        let inputFD = GradientCheck.centralDifferences(at: x.storage) { z in
            Self.weightedOutput(net, Matrix(rows: 3, columns: 2, storage: z), w)
        }
        let errors = (GradientCheck.relativeError(net.gradients, weightFD),
                      GradientCheck.relativeError(net.scaleGradients, scaleFD),
                      GradientCheck.relativeError(Array(tape.inputGradientBuffer), inputFD))
        print("VBN gradient check (\(hidden)): weights/biases \(errors.0), γ/β \(errors.1), latent \(errors.2)")
        #expect(errors.0 < Self.tolerance)
        #expect(errors.1 < Self.tolerance)
        #expect(errors.2 < Self.tolerance)
        // The gradient reaches the first layer through the reference rows' statistics: without the
        // reference path, ∂L/∂W₀ would differ (a check that the test can tell).
        #expect(net.gradients[net.layers[0].weightRange].contains { abs($0) > 1e-3 })
    }

    @Test("the first layer matches the definition with S1 = Σ z_r, S2 = Σ z_r²; with γ = 1, β = 0 the reference rows' ẑ have mean 0 and variance v/(v + ε)")
    func definition() {
        var net = Self.network(hidden: .relu, seed: 34)
        for k in 0..<2 {
            let h = net.layers[k].outputs, offset = net.gammaOffset(ofLayer: k)
            for j in 0..<h { net.scales[offset + j] = 1; net.scales[offset + h + j] = 0 }
        }
        let rng = RandomStream(seed: Seed(35))
        let x = GradientCheck.matrix(rows: 6, columns: 2, rng: rng)
        let tape = net.makeTape()
        net.forward(x, tape: tape)
        let (r, b) = (4, 6)
        let all = Matrix(rows: r + b, columns: 2, storage: net.reference.storage + x.storage)
        let w0 = net.parameters, layer = net.layers[0], h = layer.outputs
        func z(_ row: Int, _ j: Int) -> Double {
            (0..<2).reduce(w0[layer.biasOffset + j]) { $0 + w0[layer.weightOffset + j * 2 + $1] * all[row, $1] }
        }
        let zHat = tape.normalisedBuffer(ofLayer: 0)
        for j in 0..<h {
            let s1 = (0..<r).reduce(0.0) { $0 + z($1, j) }, s2 = (0..<r).reduce(0.0) { $0 + z($1, j) * z($1, j) }
            for row in 0..<(r + b) {
                let (m, q) = row < r ? (s1 / Double(r), s2 / Double(r))
                    : ((s1 + z(row, j)) / Double(r + 1), (s2 + z(row, j) * z(row, j)) / Double(r + 1))
                let expected = (z(row, j) - m) / (q - m * m + 1e-5).squareRoot()
                #expect(abs(zHat[row * h + j] - expected) < 1e-10)
            }
        }
        for k in 0..<2 {
            let width = net.layers[k].outputs, values = tape.normalisedBuffer(ofLayer: k), v = tape.referenceVariance(ofLayer: k)
            for j in 0..<width {
                let column = (0..<r).map { values[$0 * width + j] }
                let mean = column.reduce(0, +) / Double(r)
                let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r)
                #expect(abs(mean) < 1e-12)
                #expect(abs(variance - v[j] / (v[j] + 1e-5)) < 1e-10)
            }
        }
    }

    @Test("G(z) of one example does not depend on the other examples of its batch")
    func batchIndependence() {
        let net = Self.network(hidden: .relu, seed: 36)
        let rng = RandomStream(seed: Seed(37))
        let z = GradientCheck.matrix(rows: 1, columns: 2, rng: rng)
        let alone = net(z).storage
        for others in [1, 5, 40] {
            let batch = GradientCheck.matrix(rows: others, columns: 2, rng: rng)
            let together = net(Matrix(rows: others + 1, columns: 2, storage: batch.storage + z.storage))
            let row = together.row(others)
            #expect(GradientCheck.relativeError(row, alone) < 1e-13, "with \(others) others")
        }
        // Plain batch normalisation would not have this property: the batch's own statistics differ.
        let b1 = GradientCheck.matrix(rows: 3, columns: 2, rng: rng)
        #expect(net(b1).row(0) == net(Matrix(rows: 1, columns: 2, storage: b1.row(0))).row(0)
                || GradientCheck.relativeError(net(b1).row(0), net(Matrix(rows: 1, columns: 2, storage: b1.row(0))).row(0)) < 1e-13)
    }

    @Test("Float and Double agree; encoding and decoding keep the network")
    func precisionAndCoding() throws {
        let net = Self.network(hidden: .relu, seed: 38)
        let x = GradientCheck.matrix(rows: 5, columns: 2, rng: RandomStream(seed: Seed(39)))
        let single = VirtualBatchNormNetwork<Float>(converting: net)
        let xf = Matrix<Float>(rows: 5, columns: 2, storage: x.storage.map { Float($0) })
        #expect(GradientCheck.relativeError(single(xf).storage.map { Double($0) }, net(x).storage) < 1e-4)
        let decoded = try JSONDecoder().decode(VirtualBatchNormNetwork<Double>.self, from: JSONEncoder().encode(net))
        #expect(decoded(x).storage == net(x).storage)
    }
}
