import Foundation

/// Precision and recall (Kynkäänniemi et al. 2019) and density and coverage (Naeem et al. 2020):
/// how much of the generated sample lies on the data's manifold, and how much of the data's
/// manifold the generated sample reaches, each manifold estimated by balls around its points whose
/// radius is the distance to the point's k-th nearest neighbour in its own sample.
///
/// With real points r_i (n), fake points f_j (m), R_i the k-th neighbour distance of r_i among the
/// reals (itself excluded) and R'_j that of f_j among the fakes, and strict inequalities as in the
/// `prdc` package:
/// - precision = (1/m) Σ_j 1[∃i: |r_i − f_j| < R_i]; recall = (1/n) Σ_i 1[∃j: |r_i − f_j| < R'_j];
/// - density = (1/km) Σ_j #{i: |r_i − f_j| < R_i}; coverage = (1/n) Σ_i 1[min_j |r_i − f_j| < R_i].
///
/// Precision and recall use k = 3 (their paper's choice), density and coverage k = 5 (theirs).
/// For two samples of one law, density ≈ 1 and coverage ≈ 1 − 2^(−k) as n grows.
///
/// All pairs are compared (BLAS tiles of |r|² + |f|² − 2r·f in the samples' common units, so the
/// result does not change with their scale); a pair whose tiled distance lies within round-off of
/// the radius is recomputed coordinate by coordinate, so every comparison is exact.
/// - Complexity: O((n + m)² · D) time, O((n + m) · k) memory.
public struct ManifoldCoverage: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let density: Double
    public let coverage: Double
    /// k of precision and recall, and of density and coverage.
    public let precisionRecallK: Int, densityCoverageK: Int

    public static let defaultPrecisionRecallK = 3
    public static let defaultDensityCoverageK = 5

    /// The four metrics; the samples' neighbour tables are computed unless given (with k at least
    /// the larger k for the real sample and precision's k for the fake one).
    public static func measure(real: Matrix<Double>, fake: Matrix<Double>, precisionRecallK: Int = defaultPrecisionRecallK,
                               densityCoverageK: Int = defaultDensityCoverageK, realNeighbours: SampleNeighbours? = nil,
                               fakeNeighbours: SampleNeighbours? = nil) throws(ManifoldLabError) -> ManifoldCoverage {
        let kMax = max(precisionRecallK, densityCoverageK)
        guard precisionRecallK >= 1, densityCoverageK >= 1 else {
            throw .invalidValue(parameter: "k", value: String(min(precisionRecallK, densityCoverageK)), allowed: "a neighbour count of at least 1")
        }
        try EvaluationInput.check(real, fake, minimum: kMax + 1, why: "a k-th neighbour needs k + 1 points")
        let scale = SampleScale([real, fake])
        let r = scale.apply(real), f = scale.apply(fake)
        let realRadii = try radii(real, realNeighbours, ks: [precisionRecallK, densityCoverageK], unit: scale.scale)
        let fakeRadii = try radii(fake, fakeNeighbours, ks: [precisionRecallK], unit: scale.scale)
        let counts = CrossCounts(real: r, fake: f, precisionRadii: realRadii[0], densityRadii: realRadii[1],
                                 recallRadii: fakeRadii[0])
        let n = Double(r.rows), m = Double(f.rows)
        return ManifoldCoverage(precision: Double(counts.precise) / m, recall: Double(counts.recalled) / n,
                                density: Double(counts.densitySum) / (Double(densityCoverageK) * m),
                                coverage: Double(counts.covered) / n,
                                precisionRecallK: precisionRecallK, densityCoverageK: densityCoverageK)
    }

    /// For each k in `ks`, every point's distance to its k-th nearest neighbour in its own sample
    /// (itself excluded; a repeated point counts, at distance 0), in units of `unit` (both units are
    /// powers of two: the conversion is exact).
    static func radii(_ points: Matrix<Double>, _ given: SampleNeighbours?, ks: [Int], unit: Double) throws(ManifoldLabError) -> [[Double]] {
        let kMax = ks.max()!
        let table = given.flatMap { $0.distances.columns >= kMax && $0.distances.rows == points.rows ? $0 : nil }
        let neighbours: SampleNeighbours
        if let table { neighbours = table } else { neighbours = try SampleNeighbours(points, k: kMax) }
        let factor = neighbours.scale / unit
        return ks.map { k in (0..<points.rows).map { neighbours.distances[$0, k - 1] * factor } }
    }
}

/// One pass over all (real, fake) pairs that counts what the four metrics need.
struct CrossCounts {
    /// Fakes inside some real ball of the precision radius; the sum over fakes of the number of
    /// real balls of the density radius that hold it; reals inside some fake ball; reals whose
    /// nearest fake is inside their density-radius ball.
    var precise = 0, densitySum = 0, recalled = 0, covered = 0

    static let tile = 256

    init(real: Matrix<Double>, fake: Matrix<Double>, precisionRadii: [Double], densityRadii: [Double], recallRadii: [Double]) {
        let n = real.rows, m = fake.rows, d = real.columns, tile = Self.tile
        let rowTiles = (n + tile - 1) / tile
        let realNorms = real.squaredRowNorms(), fakeNorms = fake.squaredRowNorms()
        // Per tile of reals: the fakes' hits (precision flag, density count) over that tile's reals,
        // and the reals' own flags; added up after, in tile order.
        var fakeHits = [UInt8](repeating: 0, count: rowTiles * m), fakeCounts = [Int32](repeating: 0, count: rowTiles * m)
        var realRecalled = [UInt8](repeating: 0, count: n), realCovered = [UInt8](repeating: 0, count: n)
        real.storage.withUnsafeBufferPointer { x in
        fake.storage.withUnsafeBufferPointer { y in
        realNorms.withUnsafeBufferPointer { rn in
        fakeNorms.withUnsafeBufferPointer { fn in
        precisionRadii.withUnsafeBufferPointer { pr in
        densityRadii.withUnsafeBufferPointer { dr in
        recallRadii.withUnsafeBufferPointer { rr in
        fakeHits.withUnsafeMutableBufferPointer { fh in
        fakeCounts.withUnsafeMutableBufferPointer { fc in
        realRecalled.withUnsafeMutableBufferPointer { rec in
        realCovered.withUnsafeMutableBufferPointer { cov in
            nonisolated(unsafe) let xp = x.baseAddress!, yp = y.baseAddress!, rnp = rn.baseAddress!, fnp = fn.baseAddress!
            nonisolated(unsafe) let prp = pr.baseAddress!, drp = dr.baseAddress!, rrp = rr.baseAddress!
            nonisolated(unsafe) let fhp = fh.baseAddress!, fcp = fc.baseAddress!, recp = rec.baseAddress!, covp = cov.baseAddress!
            NearestNeighbours.forEachChunk(rowTiles) { t in
                Interruption.checkpoint()
                let i0 = t * tile, rows = min(tile, n - i0)
                let gram = UnsafeMutablePointer<Double>.allocate(capacity: tile * tile)
                defer { gram.deallocate() }
                let hits = fhp + t * m, counts = fcp + t * m
                var nearestFake = [Double](repeating: .infinity, count: rows)
                for j0 in stride(from: 0, to: m, by: tile) {
                    let columns = min(tile, m - j0)
                    Double.gemm(transA: false, transB: true, m: rows, n: columns, k: d, alpha: 1,
                                a: xp + i0 * d, lda: d, b: yp + j0 * d, ldb: d, beta: 0, c: gram, ldc: columns)
                    for u in 0..<rows {
                        let i = i0 + u, row = gram + u * columns
                        let pRadius = prp[i], dRadius = drp[i]
                        var recalled = recp[i] != 0
                        for v in 0..<columns {
                            let j = j0 + v
                            let tiled = max(0, rnp[i] + fnp[j] - 2 * row[v])
                            // Round-off of the tiled square is below ~1e-15·(|r|² + |f|²); nearer than
                            // 1e-12 of it to a radius, the pair is measured exactly.
                            let slack = 1e-12 * (rnp[i] + fnp[j])
                            func inside(_ radius: Double) -> Bool {
                                let r2 = radius * radius
                                if tiled < r2 - slack { return true }
                                if tiled > r2 + slack { return false }
                                return exactDistance(xp + i * d, yp + j * d, d) < radius
                            }
                            if inside(pRadius) { hits[j] = 1 }
                            if inside(dRadius) { counts[j] += 1 }
                            if !recalled && inside(rrp[j]) { recalled = true }
                            nearestFake[u] = min(nearestFake[u], tiled)
                        }
                        if recalled { recp[i] = 1 }
                    }
                }
                // Coverage: the nearest fake, compared with the radius (exactly when near it).
                for u in 0..<rows {
                    let i = i0 + u, radius = drp[i], r2 = radius * radius
                    let slack = 1e-12 * (rnp[i] + nearestFake[u] + r2) + 1e-300
                    var isCovered = nearestFake[u] < r2 - slack
                    if !isCovered && nearestFake[u] <= r2 + slack {
                        for j in 0..<m where exactDistance(xp + i * d, yp + j * d, d) < radius { isCovered = true; break }
                    }
                    if isCovered { covp[i] = 1 }
                }
            }
        }}}}}}}}}}}
        for j in 0..<m {
            var hit = false, count = 0
            for t in 0..<rowTiles { hit = hit || fakeHits[t * m + j] != 0; count += Int(fakeCounts[t * m + j]) }
            if hit { precise += 1 }
            densitySum += count
        }
        recalled = realRecalled.reduce(0) { $0 + Int($1) }
        covered = realCovered.reduce(0) { $0 + Int($1) }
    }
}

/// |a − b| for two rows of `d` coordinates, summed coordinate by coordinate.
@inline(__always) func exactDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
    var s = 0.0
    for c in 0..<d { let e = a[c] - b[c]; s += e * e }
    return s.squareRoot()
}
