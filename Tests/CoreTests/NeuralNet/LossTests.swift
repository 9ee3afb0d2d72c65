import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Losses on logits")
struct LossTests {
    static let losses: [LogitLoss] = [.crossEntropy(target: 1), .crossEntropy(target: 0), .crossEntropy(target: 0.9),
                                      .minimaxGenerator, .nonSaturatingGenerator, .linear(weight: -1)]

    /// The textbook formulas through σ(z), valid where σ(z) is far from 0 and 1.
    static func direct(_ loss: LogitLoss, _ z: Double) -> Double {
        let p = 1 / (1 + exp(-z))
        switch loss {
        case .crossEntropy(let t): return -(t * log(p) + (1 - t) * log(1 - p))
        case .minimaxGenerator: return log(1 - p)
        case .nonSaturatingGenerator: return -log(p)
        case .linear(let w): return w * z
        }
    }

    @Test("values agree with the direct formulas, derivatives with finite differences", arguments: losses)
    func valuesAndDerivatives(loss: LogitLoss) {
        for z in stride(from: -8.0, through: 8.0, by: 0.5) {
            #expect(abs(loss.value(z) - Self.direct(loss, z)) < 1e-12 * max(1, abs(Self.direct(loss, z))))
            let h = 1e-6
            let fd = (loss.value(z + h) - loss.value(z - h)) / (2 * h)
            #expect(abs(loss.derivative(z) - fd) < 1e-8)
        }
    }

    @Test("finite values and exact asymptotes at |z| = 1000, in Double and Float", arguments: losses)
    func stability(loss: LogitLoss) {
        for z in [-1000.0, -100, -40, 40, 100, 1000] {
            let (value, derivative) = (loss.value(z), loss.derivative(z))
            let (valueF, derivativeF) = (loss.value(Float(z)), loss.derivative(Float(z)))
            #expect(value.isFinite && derivative.isFinite && valueF.isFinite && derivativeF.isFinite)
            // For |z| ≥ 40, softplus(z) = max(z, 0) and σ(z) ∈ {0, 1} to double precision.
            let softplusPositive = max(z, 0), softplusNegative = max(-z, 0), sigma = z > 0 ? 1.0 : 0.0
            let (expectedValue, expectedDerivative): (Double, Double) = switch loss {
            case .crossEntropy(let t): (t * softplusNegative + (1 - t) * softplusPositive, sigma - t)
            case .minimaxGenerator: (-softplusPositive, -sigma)
            case .nonSaturatingGenerator: (softplusNegative, sigma - 1)
            case .linear(let w): (w * z, w)
            }
            #expect(abs(value - expectedValue) <= 1e-12 * max(1, abs(expectedValue)))
            #expect(abs(derivative - expectedDerivative) < 1e-15)
            #expect(abs(Double(valueF) - expectedValue) <= 1e-6 * max(1, abs(expectedValue)))
            #expect(abs(Double(derivativeF) - expectedDerivative) < 1e-6)
        }
    }

    @Test("softplus and sigmoid: identities and extreme arguments")
    func logistic() {
        for z in stride(from: -30.0, through: 30.0, by: 1.5) {
            #expect(abs(Logistic.softplus(z) - Logistic.softplus(-z) - z) < 1e-12)
            #expect(abs(Logistic.sigmoid(z) + Logistic.sigmoid(-z) - 1) < 1e-15)
            #expect(abs(Logistic.logSigmoid(z) - log(Logistic.sigmoid(z))) < 1e-12 * max(1, abs(z)))
        }
        #expect(Logistic.softplus(1000.0) == 1000 && Logistic.softplus(-1000.0) == 0)
        #expect(Logistic.sigmoid(1000.0) == 1 && Logistic.sigmoid(-1000.0) == 0)
        #expect(Logistic.softplus(Float(1000)) == 1000 && Logistic.sigmoid(Float(-1000)) == 0)
        #expect(abs(Logistic.softplus(-745.0) - exp(-745.0)) <= exp(-745.0)) // subnormal, not 0·∞
    }

    @Test("batch means and gradients: ℓ′(z_i)/count, scaled")
    func batch() {
        let logits = Matrix<Double>(rows: 4, columns: 1, storage: [-1000, -1, 2, 1000])
        let loss = LogitLoss.discriminatorReal(target: 0.9)
        let (value, gradient) = loss.meanAndGradient(logits: logits)
        #expect(abs(value - logits.storage.map { loss.value($0) }.reduce(0, +) / 4) < 1e-12)
        for i in 0..<4 { #expect(abs(gradient.storage[i] - loss.derivative(logits.storage[i]) / 4) < 1e-15) }
        #expect(value.isFinite && gradient.storage.allSatisfy(\.isFinite))
    }
}
