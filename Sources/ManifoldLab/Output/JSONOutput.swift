import Foundation

/// The one JSON policy: sorted keys (byte-identical output for the same run), numbers as the
/// shortest round-trip decimal, and ∞ / NaN as the strings "inf", "-inf", "nan" (see ``NumberFormat``).
public enum JSONOutput {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// One line of JSON (no trailing newline).
    public static func line<T: Encodable>(_ value: T) -> String {
        // Encoding our own Codable values with a non-throwing float policy cannot fail.
        String(decoding: try! encoder().encode(value), as: UTF8.self)
    }

    /// Indented JSON, for files such as run manifests.
    public static func pretty<T: Encodable>(_ value: T) -> String {
        String(decoding: try! encoder(pretty: true).encode(value), as: UTF8.self) + "\n"
    }
}
