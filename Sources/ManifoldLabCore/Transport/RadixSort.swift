import Foundation

/// LSD radix sort of doubles (11-bit digits, six passes over an order-preserving integer key),
/// about ten times faster than the standard library's comparison sort on the 10⁴-element
/// columns of the sliced distance. NaN never reaches it (inputs are validated finite).
struct RadixSorter {
    private var keys: [UInt64]
    private var spare: [UInt64]
    private var counts: [Int]

    init(capacity: Int) {
        keys = [UInt64](repeating: 0, count: capacity)
        spare = keys
        counts = [Int](repeating: 0, count: 6 * 2048)
    }

    /// The key whose unsigned order is the floating-point order: flip every bit of negatives,
    /// only the sign bit of non-negatives.
    @inline(__always) static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return (bits >> 63) == 1 ? ~bits : bits | (1 << 63)
    }

    @inline(__always) static func value(_ k: UInt64) -> Double {
        Double(bitPattern: (k >> 63) == 1 ? k & ~(1 << 63) : ~k)
    }

    /// Sorts `values` ascending in place.
    mutating func sort(_ values: UnsafeMutableBufferPointer<Double>) {
        let n = values.count
        if n < 64 { var small = values; small.sort(); return }
        if keys.count < n { keys = [UInt64](repeating: 0, count: n); spare = keys }
        keys.withUnsafeMutableBufferPointer { keyBuffer in
        spare.withUnsafeMutableBufferPointer { spareBuffer in
        counts.withUnsafeMutableBufferPointer { count in
            var source = keyBuffer.baseAddress!, target = spareBuffer.baseAddress!
            for k in 0..<count.count { count[k] = 0 }
            for i in 0..<n {
                let key = RadixSorter.key(values[i])
                source[i] = key
                count[Int(key & 2047)] += 1
                count[2048 + Int((key >> 11) & 2047)] += 1
                count[4096 + Int((key >> 22) & 2047)] += 1
                count[6144 + Int((key >> 33) & 2047)] += 1
                count[8192 + Int((key >> 44) & 2047)] += 1
                count[10240 + Int(key >> 55)] += 1
            }
            for pass in 0..<6 {
                let histogram = count.baseAddress! + pass * 2048
                let shift = UInt64(11 * pass)
                // A digit shared by every key leaves the order unchanged: skip the pass.
                if histogram[Int((source[0] >> shift) & 2047)] == n { continue }
                var total = 0
                for d in 0..<2048 { let c = histogram[d]; histogram[d] = total; total += c }
                for i in 0..<n {
                    let key = source[i]
                    let d = Int((key >> shift) & 2047)
                    target[histogram[d]] = key
                    histogram[d] += 1
                }
                swap(&source, &target)
            }
            for i in 0..<n { values[i] = RadixSorter.value(source[i]) }
        }}}
    }
}
