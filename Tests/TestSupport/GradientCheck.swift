import Foundation
import ManifoldLabCore

/// Central finite differences and the error measure the gradient checks use.
public enum GradientCheck {
    /// (f(x + h e_i) − f(x − h e_i)) / 2h for every coordinate i of `point`.
    public static func centralDifferences(at point: [Double], step h: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
        var x = point
        return point.indices.map { i in
            x[i] = point[i] + h
            let plus = f(x)
            x[i] = point[i] - h
            let minus = f(x)
            x[i] = point[i]
            return (plus - minus) / (2 * h)
        }
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖): the whole vector's relative error (0 when both are zero).
    public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var difference = 0.0, normA = 0.0, normB = 0.0
        for i in a.indices {
            difference += (a[i] - b[i]) * (a[i] - b[i])
            normA += a[i] * a[i]
            normB += b[i] * b[i]
        }
        let scale = max(normA, normB).squareRoot()
        return scale == 0 ? 0 : difference.squareRoot() / scale
    }

    public static func matrix(rows: Int, columns: Int, rng: RandomStream, scale: Double = 1) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in scale * rng.gaussian() })
    }

    /// The smallest |pre-activation| of the hidden layers for `input`: a finite-difference check of
    /// a ReLU network is only valid when this is far larger than the step times the inputs.
    /// (The tape of a ReLU network keeps only activations, so Z_k = A_{k−1} W_kᵀ + b_k is
    /// recomputed here from the previous layer's.)
    public static func smallestHiddenPreActivation(_ net: MLP<Double>, _ input: Matrix<Double>) -> Double {
        let tape = net.makeTape()
        net.forward(input, tape: tape)
        var smallest = Double.infinity
        for k in 0..<(net.layers.count - 1) {
            let layer = net.layers[k]
            let previous = k == 0 ? input.storage : Array(tape.activationBuffer(ofLayer: k - 1))
            let w = net.weights(ofLayer: k), b = net.biases(ofLayer: k)
            for r in 0..<tape.rows {
                for o in 0..<layer.outputs {
                    var z = b[o]
                    for i in 0..<layer.inputs { z += w[o, i] * previous[r * layer.inputs + i] }
                    smallest = min(smallest, abs(z))
                }
            }
        }
        return smallest
    }
}
