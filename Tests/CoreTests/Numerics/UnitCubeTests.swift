import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Shifted Sobol points")
struct UnitCubeTests {
    @Test("2^m shifted Sobol points put exactly one point in every 1/2^m cell of each coordinate (circularly)")
    func oneDimensionalStratification() {
        let count = 1024
        let cube = UnitCube.shiftedSobol(count: count, dimension: 5, rng: RandomStream(seed: Seed(3)))
        for j in 0..<5 {
            let sorted = (0..<count).map { cube[$0, j] }.sorted()
            #expect(sorted.first! > 0 && sorted.last! < 1)
            // Consecutive gaps, and the wrap-around gap, are all 1/count.
            var gaps = zip(sorted, sorted.dropFirst()).map { $1 - $0 }
            gaps.append(sorted.first! + 1 - sorted.last!)
            #expect(gaps.allSatisfy { abs($0 - 1 / Double(count)) < 1e-12 }, "column \(j)")
        }
    }

    @Test("two shifts give different, independently placed point sets; columns past 40 are uniform")
    func shiftsAndPadding() {
        let rng = RandomStream(seed: Seed(4))
        let a = UnitCube.shiftedSobol(count: 256, dimension: 45, rng: rng)
        let b = UnitCube.shiftedSobol(count: 256, dimension: 45, rng: rng)
        #expect(a.storage != b.storage)
        #expect(a.storage.allSatisfy { $0 > 0 && $0 < 1 })
        let padded = (0..<256).map { a[$0, 44] }
        #expect(TestStatistics.kolmogorovSmirnov(padded) { min(max($0, 0), 1) }
                < TestStatistics.kolmogorovSmirnovCritical(count: 256))
    }

    @Test("the normal quantile inverts Φ and stays finite at the cube's edges")
    func normalQuantile() {
        for p in [1e-10, 0.025, 0.5, 0.975, 1 - 1e-10] {
            #expect(abs(normalCDF(UnitCube.normalQuantile(p)) - p) <= 1e-9 * min(p, 1 - p) + 1e-15)
        }
        #expect(UnitCube.normalQuantile(0).isFinite && UnitCube.normalQuantile(1).isFinite)
    }
}
