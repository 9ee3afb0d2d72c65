/// How every number is written, in every format: the shortest decimal that reads back to the same
/// Double (Swift's `description`), and ∞ / NaN as the strings `inf`, `-inf`, `nan` — which pandas
/// (`float("inf")`) and gnuplot read — so an infinite KL is never a silent huge number.
public enum NumberFormat {
    @inline(__always) public static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value.description
    }

    @inline(__always) public static func text(_ value: Float) -> String { text(Double(value)) }
}
