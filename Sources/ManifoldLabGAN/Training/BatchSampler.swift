import Foundation
import ManifoldLabCore

/// Draws batches of data points, latent codes and instance noise into preallocated buffers, each
/// from its own GSL stream, so a run is the same draw for draw for a given seed (in both
/// precisions: every draw is made in Double and rounded).
final class BatchSampler<Scalar: BLASScalar> {
    let manifold: any Manifold
    let embedding: Embedding
    let latent: Int
    let latentDistribution: LatentDistribution
    private let dataStream: RandomStream
    private let latentStream: RandomStream
    private let noiseStream: RandomStream
    private var canonical: Matrix<Double>
    private var scratch: [Double]

    /// Streams `.batchData(prefix)`, `.batchLatent(prefix)` and `.batchNoise(prefix)` of `seed`.
    init(manifold: any Manifold, embedding: Embedding, latent: Int, latentDistribution: LatentDistribution,
         seed: Seed, prefix: String = "") {
        self.manifold = manifold
        self.embedding = embedding
        self.latent = latent
        self.latentDistribution = latentDistribution
        dataStream = RandomStream(seed: seed.child(.batchData(prefix)))
        latentStream = RandomStream(seed: seed.child(.batchLatent(prefix)))
        noiseStream = RandomStream(seed: seed.child(.batchNoise(prefix)))
        canonical = Matrix(rows: 0, columns: manifold.spanDimension)
        scratch = [Double](repeating: 0, count: max(manifold.intrinsicDimension, 1))
    }

    var dimension: Int { embedding.ambientDimension }

    /// `rows` clean data points (rows × D, Double).
    func dataPoints(rows: Int) -> Matrix<Double> {
        let m = manifold.spanDimension
        if canonical.rows != rows { canonical = Matrix(rows: rows, columns: m) }
        canonical.storage.withUnsafeMutableBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { u in
                for i in 0..<rows {
                    manifold.samplePoint(into: UnsafeMutableBufferPointer(rebasing: y[i * m ..< (i + 1) * m]),
                                         scratch: u, rng: dataStream)
                }
            }
        }
        return embedding.embed(canonical)
    }

    /// Fills `batch` (rows × D) with fresh data points plus N(0, σ²I) noise.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func fillData(_ batch: inout Matrix<Scalar>, sigma: Double) {
        // The Double points live only for this call (rows × D: a batch's worth between steps saved).
        let ambient = dataPoints(rows: batch.rows)
        ambient.storage.withUnsafeBufferPointer { x in
            batch.storage.withUnsafeMutableBufferPointer { out in
                if sigma > 0 {
                    for i in out.indices { out[i] = Scalar(x[i] + noiseStream.gaussian(sigma: sigma)) }
                } else {
                    for i in out.indices { out[i] = Scalar(x[i]) }
                }
            }
        }
    }

    /// Fills `batch` (rows × k) with latent codes.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func fillLatent(_ batch: inout Matrix<Scalar>) {
        batch.storage.withUnsafeMutableBufferPointer { z in
            switch latentDistribution {
            case .uniform: for i in z.indices { z[i] = Scalar(latentStream.uniform(-1, 1)) }
            case .normal: for i in z.indices { z[i] = Scalar(latentStream.gaussian()) }
            }
        }
    }

    /// Writes `source` + N(0, σ²I) noise into `batch` (same shape).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func addNoise(_ source: UnsafeBufferPointer<Scalar>, sigma: Double, into batch: inout Matrix<Scalar>) {
        precondition(source.count == batch.storage.count)
        batch.storage.withUnsafeMutableBufferPointer { out in
            if sigma > 0 {
                for i in out.indices { out[i] = source[i] + Scalar(noiseStream.gaussian(sigma: sigma)) }
            } else {
                out.baseAddress!.update(from: source.baseAddress!, count: source.count)
            }
        }
    }
}
