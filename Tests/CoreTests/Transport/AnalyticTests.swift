import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Closed-form Wasserstein distances")
struct AnalyticTests {
    @Test("Bures: equal covariances give |μ1 − μ2|; commuting ones give Σ(√λ1 − √λ2)²")
    func bures() throws {
        let same = try AnalyticWasserstein.gaussians(mean1: [0, 0], covariance1: [2, 0.5, 0.5, 1],
                                                     mean2: [3, 4], covariance2: [2, 0.5, 0.5, 1])
        #expect(abs(same.value - 5) < 1e-9)
        let diagonal = try AnalyticWasserstein.gaussians(mean1: [0, 0, 0], covariance1: [1, 0, 0, 0, 4, 0, 0, 0, 9],
                                                         mean2: [0, 0, 0], covariance2: [4, 0, 0, 0, 1, 0, 0, 0, 9])
        #expect(abs(diagonal.cost - 2) < 1e-9)
        #expect(diagonal.costUnit == "W2^2")
    }

    @Test("Bures in 1-D equals the Gaussian quantile formula μ² + (σ1 − σ2)²")
    func buresOneDimensional() throws {
        let r = try AnalyticWasserstein.gaussians(mean1: [1], covariance1: [0.25], mean2: [-1], covariance2: [4])
        #expect(abs(r.cost - (4 + 1.5 * 1.5)) < 1e-12)
    }

    @Test("Segments: parallel equal segments are a translation; crossed ones add (L1² + L2²)/12")
    func segments() {
        let parallel = AnalyticWasserstein.segments(lengths: (1, 1), midpoints: ([0, 0], [3, 4]), angle: 0)
        #expect(abs(parallel.value - 5) < 1e-12)
        let crossed = AnalyticWasserstein.segments(lengths: (1, 2), midpoints: ([0, 0], [0, 0]), angle: .pi / 2)
        #expect(abs(crossed.cost - 5.0 / 12) < 1e-12)
        #expect(AnalyticWasserstein.translation([3, 4], order: 1).value == 5)
    }

    @Test("Bures refuses asymmetric, indefinite and mis-sized covariances")
    func refusals() {
        #expect(throws: ManifoldLabError.self) {
            try AnalyticWasserstein.gaussians(mean1: [0, 0], covariance1: [1, 0.5, 0, 1], mean2: [0, 0], covariance2: [1, 0, 0, 1])
        }
        #expect(throws: ManifoldLabError.self) {
            try AnalyticWasserstein.gaussians(mean1: [0, 0], covariance1: [1, 0, 0, -1], mean2: [0, 0], covariance2: [1, 0, 0, 1])
        }
        #expect(throws: ManifoldLabError.self) {
            try AnalyticWasserstein.gaussians(mean1: [0], covariance1: [1, 0, 0, 1], mean2: [0, 0], covariance2: [1, 0, 0, 1])
        }
    }
}
