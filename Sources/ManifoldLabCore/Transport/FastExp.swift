import Foundation

/// exp for the log-sum-exp loops of Sinkhorn: branch-free so the compiler vectorises the loops
/// it is inlined into (libm's `exp` is a call per element).
///
/// Range reduction x = k·ln 2 + r, |r| ≤ ½ ln 2, with k rounded by the 1.5·2⁵² trick; e^r by its
/// Taylor polynomial of degree 11 by Estrin's scheme (truncation error < 1e-14 relative); 2^k built in the exponent
/// bits. Arguments below −708 return e^−708 ≈ 3e−308 instead of a smaller number (a term that
/// small is 0 next to the leading term 1 of a shifted log-sum-exp); arguments must be ≤ 709.
@inline(__always)
func fastExp(_ x: Double) -> Double {
    let magic = 6_755_399_441_055_744.0  // 1.5 · 2^52
    let xc = x < -708 ? -708 : x
    let t = xc * 1.4426950408889634 + magic
    let k = t - magic
    let r = (xc - k * 0.6931471803691238) - k * 1.9082149292705877e-10
    // e^r = Σ_{k ≤ 11} r^k/k!, evaluated by Estrin's scheme (a short dependency chain).
    let r2 = r * r
    let r4 = r2 * r2
    let r8 = r4 * r4
    let q0 = (1 + r) + (0.5 + 0.16666666666666666 * r) * r2
    let q1 = (0.041666666666666664 + 0.008333333333333333 * r) + (0.001388888888888889 + 0.0001984126984126984 * r) * r2
    let q2 = (2.48015873015873e-05 + 2.7557319223985893e-06 * r) + (2.755731922398589e-07 + 2.505210838544172e-08 * r) * r2
    let p = (q0 + q1 * r4) + q2 * r8
    let scale = Double(bitPattern: (t.bitPattern &+ 1023) << 52)
    return p * scale
}

/// Σ_k exp(v_k − shift) over `count` values, with two accumulators so that the loop vectorises.
@inline(__always)
func sumOfExps(_ v: UnsafePointer<Double>, count: Int, minus shift: Double) -> Double {
    var s0 = 0.0, s1 = 0.0
    var j = 0
    while j + 2 <= count {
        s0 += fastExp(v[j] - shift)
        s1 += fastExp(v[j + 1] - shift)
        j += 2
    }
    if j < count { s0 += fastExp(v[j] - shift) }
    return s0 + s1
}
