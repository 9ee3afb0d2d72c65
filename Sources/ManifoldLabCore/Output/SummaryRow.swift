import Foundation

/// A run's JSON summary as one CSV row under its header, for `--format csv` of the commands that
/// print a summary (train-toy, vanish, dirac): the same keys as the JSON, nested objects flattened
/// to `parent_child` columns and arrays to `name_1`, `name_2`, … (1-based); null is the empty cell.
/// A sweep appends the rows of many runs (`tail -n +2`) into one table that pandas reads.
public enum SummaryRow {
    /// The header line and the row, each ending in a newline. Numbers keep the JSON's own digits
    /// (the shortest round-trip decimal): they are copied as text, never parsed and printed again.
    public static func csv<T: Encodable>(_ value: T) -> String {
        var cells: [(String, String)] = []
        var parser = JSONText(JSONOutput.line(value))
        // Our own encoder wrote it: it always parses.
        flatten(parser.value(), prefix: "", into: &cells)
        return CSVTable.line(cells.map(\.0)) + CSVTable.line(cells.map(\.1))
    }

    static func flatten(_ value: JSONText.Value, prefix: String, into cells: inout [(String, String)]) {
        func key(_ part: String) -> String { prefix.isEmpty ? part : prefix + "_" + part }
        switch value {
        case .object(let members):
            for (name, member) in members { flatten(member, prefix: key(name), into: &cells) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { flatten(element, prefix: key(String(index + 1)), into: &cells) }
        case .scalar(let text): cells.append((prefix, text))
        case .null: cells.append((prefix, ""))
        }
    }
}

/// A reader of the JSON that ``JSONOutput`` writes, keeping every scalar as its text (numbers as
/// written, strings unescaped, true/false) and objects in their written (sorted) key order.
struct JSONText {
    indirect enum Value {
        case object([(String, Value)]), array([Value]), scalar(String), null
    }

    private let characters: [Character]
    private var index = 0

    init(_ text: String) { characters = Array(text) }

    mutating func value() -> Value {
        skipSpace()
        guard index < characters.count else { return .null }
        switch characters[index] {
        case "{":
            index += 1
            var members: [(String, Value)] = []
            while true {
                skipSpace()
                if index >= characters.count || characters[index] == "}" { index += 1; return .object(members) }
                if characters[index] == "," { index += 1; continue }
                let name = string()
                skipSpace()
                index += 1  // ":"
                members.append((name, value()))
            }
        case "[":
            index += 1
            var elements: [Value] = []
            while true {
                skipSpace()
                if index >= characters.count || characters[index] == "]" { index += 1; return .array(elements) }
                if characters[index] == "," { index += 1; continue }
                elements.append(value())
            }
        case "\"":
            return .scalar(string())
        default:
            var token = ""
            while index < characters.count, !",]} \n".contains(characters[index]) { token.append(characters[index]); index += 1 }
            return token == "null" ? .null : .scalar(token)
        }
    }

    /// A string literal at `index`, unescaped.
    private mutating func string() -> String {
        index += 1  // the opening quote
        var text = ""
        while index < characters.count, characters[index] != "\"" {
            if characters[index] == "\\", index + 1 < characters.count {
                index += 1
                switch characters[index] {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "b": text.append("\u{8}")
                case "f": text.append("\u{c}")
                case "u":
                    let hex = String(characters[(index + 1)..<min(index + 5, characters.count)])
                    if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) { text.append(Character(scalar)) }
                    index += 4
                default: text.append(characters[index])
                }
            } else {
                text.append(characters[index])
            }
            index += 1
        }
        index += 1  // the closing quote
        return text
    }

    private mutating func skipSpace() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }
}
