import Foundation
import ManifoldLabCore

/// The generator's law smoothed by instance noise, Q_σ = G#μ * N(0, σ²I), for a latent law μ of
/// dimension k ≤ 2: its density is a ``KernelSum`` over G evaluated at the nodes of a quadrature
/// rule for μ (one batched forward pass), its samples are G(z) + σε for fresh z.
///
/// Rule: k = 1, `nodesPerAxis` midpoints on [−1, 1] (uniform) or [−6, 6] weighted by φ (normal);
/// k = 2, the product rule. The rule is exact in the limit of fine nodes; its error is small when
/// neighbouring node images are much closer than σ (‖G′‖·spacing ≪ σ), which holds for the toy nets
/// at the default 2048 (k = 1) and 96² (k = 2) nodes for σ ≳ 0.02.
struct SmoothedGenerator: SmoothedLaw {
    let kernel: KernelSum
    let clean: Matrix<Double>
    let sigma: Double

    init<Scalar: BLASScalar>(gan: ToyGAN<Scalar>, latentDistribution: LatentDistribution, sigma: Double,
                             nodesPerAxis: Int, samples: Int, seed: Seed) {
        let k = gan.generator.latentSize
        precondition(k <= 2 && sigma > 0)
        let perAxis = k == 1 ? nodesPerAxis : max(nodesPerAxis / 21, 8)
        let half = latentDistribution == .uniform ? 1.0 : 6.0
        let h = 2 * half / Double(perAxis)
        let axis = (0..<perAxis).map { -half + (Double($0) + 0.5) * h }
        let axisLogWeight = axis.map { latentDistribution == .uniform ? 0 : -0.5 * $0 * $0 }
        let count = k == 1 ? perAxis : perAxis * perAxis
        var nodes = Matrix<Scalar>(rows: count, columns: k)
        var logWeights = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let (a, b) = (i % perAxis, i / perAxis)
            nodes[i, 0] = Scalar(axis[a])
            logWeights[i] = axisLogWeight[a]
            if k == 2 {
                nodes[i, 1] = Scalar(axis[b])
                logWeights[i] += axisLogWeight[b]
            }
        }
        let normaliser = LogSumExp.of(logWeights)
        kernel = KernelSum(nodes: gan.generate(nodes), logWeights: logWeights.map { $0 - normaliser })
        // Fresh latent draws for the Monte Carlo side of the estimate.
        let rng = RandomStream(seed: seed.child(.latent))
        var z = Matrix<Scalar>(rows: samples, columns: k)
        for i in z.storage.indices {
            z.storage[i] = Scalar(latentDistribution == .uniform ? rng.uniform(-1, 1) : rng.gaussian())
        }
        clean = gan.generate(z)
        self.sigma = sigma
    }

    var dimension: Int { clean.columns }
    var densityMethod: String { "generator: kernel sum over \(kernel.nodes.rows) latent nodes" }

    func sample(count: Int, seed: Seed) -> Matrix<Double> {
        precondition(count <= clean.rows)
        let rng = RandomStream(seed: seed.child(.noise("q")))
        var points = Matrix<Double>(rows: count, columns: dimension)
        for i in points.storage.indices { points.storage[i] = clean.storage[i] + rng.gaussian(sigma: sigma) }
        return points
    }

    func logDensity(_ points: Matrix<Double>) -> [Double] {
        // −(D/2)·log(2πσ²) in log space: σ² itself underflows to 0 for σ below ~1e-162.
        let normaliser = -0.5 * Double(dimension) * (log(2 * .pi) + 2 * log(sigma))
        return kernel.logSums(at: points, sigma: sigma).map { $0 + normaliser }
    }
}
