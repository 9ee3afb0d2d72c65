import Foundation

/// Points of a labelled Gaussian mixture with the mode each was drawn from: the classes of the
/// semi-supervised experiment, where every mode is a class.
public struct LabelledSample: Sendable, Equatable {
    /// n × D.
    public var points: Matrix<Double>
    /// The mode (class) of each row, 0..<K.
    public var labels: [Int]

    /// `count` points: a mode y uniform over the K modes, then its mean + N(0, s²I) in the mixture's
    /// plane, placed in R^D by `embedding` (the same law as `sample --manifold ring|grid`).
    public init(_ mixture: GaussianMixture, embedding: Embedding, count: Int, rng: RandomStream) {
        let m = mixture.spanDimension
        var canonical = Matrix<Double>(rows: count, columns: m)
        labels = (0..<count).map { i in
            let y = rng.integer(below: mixture.means.count)
            for a in 0..<m { canonical[i, a] = mixture.means[y][a] + rng.gaussian(sigma: mixture.standardDeviation) }
            return y
        }
        points = embedding.embed(canonical)
    }

    /// `perClass` points of every mode, mode by mode (0, 0, …, 1, 1, …): a labelled set with exactly
    /// as many points of each class.
    public init(_ mixture: GaussianMixture, embedding: Embedding, perClass: Int, rng: RandomStream) {
        let m = mixture.spanDimension, k = mixture.means.count
        var canonical = Matrix<Double>(rows: perClass * k, columns: m)
        labels = (0..<(perClass * k)).map { i in
            let y = i / perClass
            for a in 0..<m { canonical[i, a] = mixture.means[y][a] + rng.gaussian(sigma: mixture.standardDeviation) }
            return y
        }
        points = embedding.embed(canonical)
    }

    /// This sample's rows followed by `other`'s.
    public func appending(_ other: LabelledSample) -> LabelledSample {
        precondition(points.columns == other.points.columns)
        return LabelledSample(points: Matrix(rows: points.rows + other.points.rows, columns: points.columns,
                                             storage: points.storage + other.points.storage),
                              labels: labels + other.labels)
    }

    public init(points: Matrix<Double>, labels: [Int]) {
        precondition(points.rows == labels.count)
        self.points = points
        self.labels = labels
    }

    /// The fraction of rows whose label is `predictions`' entry.
    public func accuracy(of predictions: [Int]) -> Double {
        precondition(predictions.count == labels.count && !labels.isEmpty)
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

/// The Bayes-optimal classifier of a mixture of K equally likely isotropic Gaussians of one std s,
/// and its accuracy: the best any classifier can do on that data.
///
/// The Bayes rule picks the mode of largest posterior p(y|x) ∝ exp(−|u − c_y|²/2s²) (u: x's
/// projection on the mixture's plane), i.e. the nearest centre. Its accuracy is E_x[max_y p(y|x)]
/// (the probability of being right, averaged over the data), estimated by Monte Carlo over fresh
/// points with the exact posterior: an unbiased estimate with a standard error, valid for any
/// centres. (For the 5×5 grid it has the closed form (1 − 2(side−1)/side · Φ(−1/s))², which the
/// tests check it against.)
public enum MixtureClassification {
    public static let defaultBayesPoints = 100_000

    /// The Bayes rule's class for every row of `points` (n × D).
    public static func bayesPredictions(_ points: Matrix<Double>, mixture: GaussianMixture, embedding: Embedding) -> [Int] {
        let k = mixture.means.count
        let logPosteriors = MixtureInceptionScore.logPosteriors(points, mixture: mixture, embedding: embedding)
        return (0..<points.rows).map { i in
            var best = 0
            for y in 1..<k where logPosteriors[i * k + y] > logPosteriors[i * k + best] { best = y }
            return best
        }
    }

    /// E[max_y p(y|x)] over `count` fresh points of the mixture, and its Monte Carlo standard error.
    public static func bayesAccuracy(_ mixture: GaussianMixture, count: Int = defaultBayesPoints,
                                     seed: Seed) -> (value: Double, standardError: Double) {
        let identity = Embedding.identity(dimension: mixture.spanDimension)
        let sample = LabelledSample(mixture, embedding: identity, count: count, rng: RandomStream(seed: seed))
        let k = mixture.means.count
        let logPosteriors = MixtureInceptionScore.logPosteriors(sample.points, mixture: mixture, embedding: identity)
        let best = (0..<count).map { i in exp((0..<k).map { logPosteriors[i * k + $0] }.max()!) }
        let summary = MeanStd(best)
        return (summary.mean, summary.std / Double(count).squareRoot())
    }
}
