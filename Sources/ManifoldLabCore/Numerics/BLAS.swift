import COpenBLAS
import Foundation
import RealModule

/// A floating-point type with CBLAS kernels (`Float` → `s`, `Double` → `d`), served by OpenBLAS.
///
/// Refines swift-numerics' `Real`, so generic code has `exp`, `log(onePlus:)`, `tanh`, … for both.
public protocol BLASScalar: BinaryFloatingPoint, Real, Codable, Sendable, LosslessStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// C ← alpha · op(A) · op(B) + beta · C, row-major.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← alpha · x + y.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
    /// Σ x_i y_i.
    static func dot(count: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self
    /// Name in manifests and benchmark tables ("float" or "double").
    static var precisionName: String { get }
}

@inline(__always) private func order(_ transposed: Bool) -> CBLAS_TRANSPOSE {
    transposed ? CblasTrans : CblasNoTrans
}

extension Double: BLASScalar {
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, order(transA), order(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }
    public static func dot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }
    public static var precisionName: String { "double" }
}

extension Float: BLASScalar {
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, order(transA), order(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }
    public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }
    public static var precisionName: String { "float" }
}

/// Which BLAS serves `cblas_*` in this process, and OpenBLAS's settings.
public enum BLASBackend {
    /// OpenBLAS's kernel family (e.g. "Haswell", "SkylakeX"; "Prescott" means generic SSE3 kernels).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// True when the process's `cblas_dgemm` is OpenBLAS's (not GSL's reference `gslcblas`).
    public static var isOpenBLASServingCBLAS: Bool {
        guard let handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_NOLOAD),
              let openblas = dlsym(handle, "cblas_dgemm"),
              let bound = dlsym(nil, "cblas_dgemm")  // nil is RTLD_DEFAULT: the symbol calls bind to
        else { return false }
        return openblas == bound
    }

    /// Pins OpenBLAS to `count` threads. One thread is as fast at MLP sizes and keeps results
    /// independent of the machine's core count.
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    /// The kernel family to ask for when OpenBLAS fell back to generic kernels on a CPU it does not
    /// recognise, or nil when no override is needed (see `manifoldlab`'s start-up re-exec).
    public static func recommendedCoreType() -> String? {
        guard coreName == "Prescott" else { return nil }
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let set = Set(flags.split(separator: " ").map(String.init))
        if set.contains("avx512f") && set.contains("avx512bw") { return "SkylakeX" }
        if set.contains("avx2") && set.contains("fma") { return "Haswell" }
        return nil
    }
}
