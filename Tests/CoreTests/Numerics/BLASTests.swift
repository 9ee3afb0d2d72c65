import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("BLAS backend and matrix products")
struct BLASTests {
    @Test("cblas_dgemm in this process is OpenBLAS's, not GSL's reference gslcblas")
    func openBLASServesCBLAS() {
        #expect(BLASBackend.isOpenBLASServingCBLAS)
    }

    @Test("gemm agrees with the definition of the matrix product, with and without transposes", arguments: [false, true])
    func gemmMatchesDefinition(transposeA: Bool) {
        let rng = RandomStream(seed: Seed(7))
        let (m, k, n) = (5, 7, 3)
        let aRows = transposeA ? k : m, aCols = transposeA ? m : k
        let a = Matrix<Double>(rows: aRows, columns: aCols, storage: (0..<(m * k)).map { _ in rng.gaussian() })
        let b = Matrix<Double>(rows: n, columns: k, storage: (0..<(k * n)).map { _ in rng.gaussian() })
        let c = a.multiplied(by: b, transposingSelf: transposeA, transposingOther: true)
        for i in 0..<m {
            for j in 0..<n {
                var expected = 0.0
                for l in 0..<k { expected += (transposeA ? a[l, i] : a[i, l]) * b[j, l] }
                #expect(abs(c[i, j] - expected) < 1e-12)
            }
        }
    }

    @Test("Float gemm agrees with Double gemm to single precision")
    func floatGemm() {
        let a = Matrix<Float>(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        let b = Matrix<Float>(rows: 3, columns: 2, storage: [7, 8, 9, 10, 11, 12])
        #expect(a.multiplied(by: b).storage == [58, 64, 139, 154])
    }
}
