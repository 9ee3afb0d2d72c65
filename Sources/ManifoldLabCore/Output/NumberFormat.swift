import Foundation

/// How every number is written, in every format (docs/reliability.md, "Numbers in every output"):
/// the shortest decimal that reads back to the same Double (Swift's `description`); ±∞ — only where
/// the quantity is infinite, such as the KL of disjoint supports — as `inf`, `-inf` (pandas'
/// `float("inf")`, gnuplot), never a silent huge number; and NaN never: a value that could not be
/// computed is an empty CSV cell (pandas and gnuplot read it as missing), `null` in JSON
/// (``JSONOutput``) and "not computable" in text (``short(_:)``), each with its reason where the format has room.
public enum NumberFormat {
    /// A CSV cell or a number in text: NaN becomes the empty cell.
    @inline(__always) public static func text(_ value: Double) -> String {
        if value.isNaN { return "" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value.description
    }

    @inline(__always) public static func text(_ value: Float) -> String { text(Double(value)) }

    /// A JSON token: a number, the strings "inf" / "-inf", or `null` for NaN (RFC 8259 has no
    /// non-finite numbers), the same rule ``JSONOutput`` applies to encoded values.
    @inline(__always) public static func json(_ value: Double) -> String {
        if value.isNaN { return "null" }
        if value.isInfinite { return value > 0 ? "\"inf\"" : "\"-inf\"" }
        return value.description
    }

    /// Four significant digits for text summaries; ∞ as `inf`, NaN as "not computable".
    public static func short(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : value.isNaN ? "not computable" : text(value)
    }

    /// A value as the user typed it, for error messages that echo a refused input (`nan`, `inf`).
    public static func echo(_ value: Double) -> String {
        value.isNaN ? "nan" : text(value)
    }
}
