import CGSL
import Foundation
import Testing
@testable import ManifoldLabCore

/// The Bayes accuracy of labelled mixtures against closed forms and quadrature.
@Suite("Bayes accuracy of labelled mixtures")
struct MixtureClassificationTests {
    /// The side × side grid with spacing 2: the Bayes cells are squares, so along each axis a point is
    /// misplaced with probability Φ(−1/s) per neighbouring cell; the axes are independent, so the
    /// accuracy is (1 − 2(side − 1)/side · Φ(−1/s))².
    static func gridClosedForm(side: Int, std s: Double) -> Double {
        let p = gsl_cdf_ugaussian_P(-1 / s)
        let perAxis = 1 - 2 * Double(side - 1) / Double(side) * p
        return perAxis * perAxis
    }

    /// P(a point of the mode at (1, 0) falls in its wedge |θ| < π/K), by composite Simpson in polar
    /// coordinates over r ∈ [0, 1 + 12s], θ ∈ [−π/K, π/K]: the ring's Bayes accuracy (all modes alike).
    static func ringQuadrature(modes: Int, std s: Double, nodes: Int = 800) -> Double {
        let rMax = 1 + 12 * s, half = Double.pi / Double(modes)
        func density(_ r: Double, _ theta: Double) -> Double {
            let x = r * cos(theta) - 1, y = r * sin(theta)
            return exp(-(x * x + y * y) / (2 * s * s)) / (2 * Double.pi * s * s) * r
        }
        func simpsonWeight(_ i: Int) -> Double { i == 0 || i == nodes ? 1 : (i % 2 == 1 ? 4 : 2) }
        let hr = rMax / Double(nodes), ht = 2 * half / Double(nodes)
        var total = 0.0
        for i in 0...nodes {
            for j in 0...nodes {
                total += simpsonWeight(i) * simpsonWeight(j) * density(Double(i) * hr, -half + Double(j) * ht)
            }
        }
        return total * hr * ht / 9
    }

    @Test("well-separated modes (grid std 0.05, ring std 0.01): Bayes accuracy ≈ 1")
    func separated() {
        for mixture in [GaussianMixture.grid(), .ring()] {
            let bayes = MixtureClassification.bayesAccuracy(mixture, count: 20_000, seed: Seed(1))
            #expect(bayes.value > 1 - 1e-9, "\(mixture.name)")
        }
    }

    @Test("overlapping grid modes: the Monte Carlo value matches the closed form within 3 SE", arguments: [0.5, 0.6, 1.0])
    func grid(std: Double) {
        let bayes = MixtureClassification.bayesAccuracy(.grid(standardDeviation: std), seed: Seed(2))
        let exact = Self.gridClosedForm(side: 5, std: std)
        #expect(exact < 0.95)
        #expect(abs(bayes.value - exact) < 3 * bayes.standardError, "\(bayes.value) vs \(exact) ± \(bayes.standardError)")
    }

    @Test("overlapping ring modes: the Monte Carlo value matches 2-D quadrature within 3 SE")
    func ring() {
        let std = 0.25
        let bayes = MixtureClassification.bayesAccuracy(.ring(standardDeviation: std), seed: Seed(3))
        let exact = Self.ringQuadrature(modes: 8, std: std)
        #expect(exact < 0.9 && exact > 0.5)
        #expect(abs(bayes.value - exact) < 3 * bayes.standardError, "\(bayes.value) vs \(exact) ± \(bayes.standardError)")
    }

    @Test("the Bayes rule's accuracy on a labelled sample agrees with E max p(y|x) and is the nearest centre")
    func bayesRule() {
        let mixture = GaussianMixture.grid(standardDeviation: 0.6)
        let identity = Embedding.identity(dimension: 2)
        let sample = LabelledSample(mixture, embedding: identity, count: 40_000, rng: RandomStream(seed: Seed(4)))
        let predictions = MixtureClassification.bayesPredictions(sample.points, mixture: mixture, embedding: identity)
        for i in 0..<200 {
            let nearest = mixture.means.indices.min { a, b in
                let da = zip(mixture.means[a], sample.points.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                let db = zip(mixture.means[b], sample.points.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                return da < db
            }
            #expect(predictions[i] == nearest)
        }
        let accuracy = sample.accuracy(of: predictions), exact = Self.gridClosedForm(side: 5, std: 0.6)
        let se = (exact * (1 - exact) / 40_000).squareRoot()
        #expect(abs(accuracy - exact) < 4 * se)
    }

    @Test("extreme scales: σ far below the spacing gives the one-hot nearest-centre posterior (Bayes 1), σ far above it the uniform one (1/K), and a mixture scaled by 10^±150 the same accuracy")
    func extremeScales() throws {
        let tiny = GaussianMixture.grid(standardDeviation: 1e-200)
        #expect(MixtureClassification.bayesAccuracy(tiny, count: 2000, seed: Seed(7)).value == 1)
        let identity = Embedding.identity(dimension: 2)
        let sample = LabelledSample(tiny, embedding: identity, count: 500, rng: RandomStream(seed: Seed(8)))
        #expect(sample.accuracy(of: MixtureClassification.bayesPredictions(sample.points, mixture: tiny, embedding: identity)) == 1)
        let score = try MixtureInceptionScore.measure(sample.points, mixture: tiny, embedding: identity, splits: 1)
        #expect(abs(score.value - 25) < 2, "IS analogue \(score.value) for a sample of all 25 modes")  // multinomial counts: near 25
        let huge = MixtureClassification.bayesAccuracy(.grid(standardDeviation: 1e150), count: 2000, seed: Seed(9))
        #expect(abs(huge.value - 1.0 / 25) < 1e-12)
        let reference = MixtureClassification.bayesAccuracy(.grid(standardDeviation: 0.6), count: 20_000, seed: Seed(10)).value
        for factor in [1e-150, 1e150] {
            let scaled = GaussianMixture(name: "grid", means: GaussianMixture.grid().means.map { $0.map { $0 * factor } },
                                         standardDeviation: 0.6 * factor)
            let value = MixtureClassification.bayesAccuracy(scaled, count: 20_000, seed: Seed(10)).value
            #expect(abs(value - reference) < 1e-9, "×\(factor): \(value) vs \(reference)")
        }
    }

    @Test("labelled samples: labels uniform over the modes, points around their own mode, placed by the embedding")
    func labelledSample() {
        let mixture = GaussianMixture.ring(modes: 4, standardDeviation: 0.01)
        var frame = Matrix<Double>(rows: 3, columns: 2)
        frame[0, 0] = 1; frame[2, 1] = 1
        let embedding = Embedding(frame: frame, center: [0, 5, 0])
        let sample = LabelledSample(mixture, embedding: embedding, count: 4000, rng: RandomStream(seed: Seed(6)))
        for y in 0..<4 { #expect(abs(Double(sample.labels.filter { $0 == y }.count) - 1000) < 4 * 27.4) }
        for i in 0..<4000 {
            let mean = mixture.means[sample.labels[i]]
            #expect(abs(sample.points[i, 0] - mean[0]) < 0.06 && abs(sample.points[i, 2] - mean[1]) < 0.06 && sample.points[i, 1] == 5)
        }
    }
}
