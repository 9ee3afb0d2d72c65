import Foundation

/// The one JSON policy: snake_case keys (Swift's camelCase names are converted, so a manifest's
/// `configuration` reads like its `parameters`), sorted keys (byte-identical output for the same
/// run), numbers as the shortest round-trip decimal, ∞ as the strings "inf" / "-inf", and NaN as
/// `null` (see ``NumberFormat``), so every line is RFC 8259 JSON and no NaN is ever written.
public enum JSONOutput {
    /// What the encoder writes for NaN before ``finish(_:)`` turns it into `null`: a string no
    /// value of ours holds (it starts with U+0000, which JSON escapes as `\u0000`).
    static let nanMarker = "\u{0}nan"
    static let escapedNanMarker = "\"\\u0000nan\""

    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: nanMarker)
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// Reads what ``encoder(pretty:)`` wrote (snake_case keys back to camelCase, "inf" back to ∞);
    /// files written before the snake_case policy, in camelCase, read the same.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// One line of JSON (no trailing newline).
    public static func line<T: Encodable>(_ value: T) -> String {
        // Encoding our own Codable values with a non-throwing float policy cannot fail.
        finish(String(decoding: try! encoder().encode(value), as: UTF8.self))
    }

    /// Indented JSON, for files such as run manifests.
    public static func pretty<T: Encodable>(_ value: T) -> String {
        finish(String(decoding: try! encoder(pretty: true).encode(value), as: UTF8.self)) + "\n"
    }

    /// NaN, encoded as the marker string, becomes `null`.
    static func finish(_ json: String) -> String {
        json.contains(escapedNanMarker) ? json.replacingOccurrences(of: escapedNanMarker, with: "null") : json
    }
}
