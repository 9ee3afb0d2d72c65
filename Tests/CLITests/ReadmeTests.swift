import Foundation
import Testing

/// The README's pasted outputs are the tool's: every `$ manifoldlab …` line in a text block is run
/// (in one scratch directory, in order, so `train-toy --out run` then `walk --run run` works) and the
/// lines pasted under it must appear in its output, in order. A line ending in `…` is a prefix; a
/// line `…` alone stands for lines left out; wall-clock times are not compared. Numbers agree to
/// the precision printed (one unit in the last pasted digit, or 1e-3 relative): machines whose
/// OpenBLAS picks other kernels round differently (README, "Set-up"). Refresh the README
/// and the guides with `make readme` when an output changes on purpose.
@Suite("README: every pasted output is what the command prints")
struct ReadmeTests {
    struct Example {
        let arguments: [String]
        let expected: [String]
    }

    /// The documents whose pasted outputs are checked (and refreshed by `make readme`).
    static let documents = ["README.md", "docs/dirac.md", "docs/training.md"]

    static func examples(in document: String = "README.md") throws -> [Example] {
        let readme = try String(contentsOf: VocabularyTests.repository.appendingPathComponent(document), encoding: .utf8)
        var examples: [Example] = [], inText = false
        var current: (arguments: [String], expected: [String])?
        func close() { if let c = current { examples.append(Example(arguments: c.arguments, expected: c.expected)) }; current = nil }
        for line in readme.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if inText { close() }
                inText = line == "```text"
                continue
            }
            guard inText else { continue }
            if line.hasPrefix("$ manifoldlab ") {
                close()
                let command = line.dropFirst("$ manifoldlab ".count).components(separatedBy: "#")[0]
                current = (command.split(separator: " ").map(String.init), [])
            } else if line.hasPrefix("$ ") {
                close()
            } else if current != nil {
                current!.expected.append(line)
            }
        }
        return examples.filter { !$0.expected.isEmpty }
    }

    /// Wall-clock figures vary run to run; everything else must match.
    static func steady(_ line: String) -> String {
        var text = line
        for (pattern, replacement) in [(#""seconds":[0-9.e+-]+"#, #""seconds":T"#), (#"[0-9.]+ steps/s"#, "R steps/s"),
                                       (#"[0-9.]+ s in all \([0-9.]+ s of diagnostics\)"#, "T s in all (T s of diagnostics)"),
                                       (#"after [0-9.]+ ms"#, "after T ms")] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }

    static let number = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"#)

    /// The line's text with numbers masked (spaces collapsed), and its numbers with the size of one
    /// unit in their last printed digit.
    static func parts(_ line: String) -> (text: String, numbers: [(value: Double, unit: Double)]) {
        let range = NSRange(line.startIndex..., in: line)
        var numbers: [(Double, Double)] = []
        for match in number.matches(in: line, range: range) {
            let token = String(line[Range(match.range, in: line)!])
            let mantissa = token.split(whereSeparator: { $0 == "e" || $0 == "E" })
            let decimals = mantissa[0].split(separator: ".").dropFirst().first?.count ?? 0
            let exponent = mantissa.count > 1 ? Double(mantissa[1]) ?? 0 : 0
            numbers.append((Double(token) ?? .nan, pow(10, exponent - Double(decimals))))
        }
        let masked = number.stringByReplacingMatches(in: line, range: range, withTemplate: "#")
        return (masked.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression).trimmingCharacters(in: .whitespaces), numbers)
    }

    /// Whether `actual` is the pasted `expected` line (or starts with it, for a line ending in `…`).
    static func matches(_ actual: String, _ expected: String) -> Bool {
        let prefix = expected.hasSuffix("…")
        let want = parts(prefix ? String(expected.dropLast()) : expected)
        var have = parts(actual)
        if prefix {
            guard have.text.hasPrefix(want.text.replacingOccurrences(of: #"#$"#, with: "", options: .regularExpression)) else { return false }
            have.numbers = Array(have.numbers.prefix(want.numbers.count))
        } else {
            guard have.text == want.text else { return false }
        }
        guard have.numbers.count == want.numbers.count else { return false }
        return zip(have.numbers, want.numbers).allSatisfy { got, pasted in
            // A number cut by `…` may be shorter than the printed one: compare at the pasted precision.
            abs(got.value - pasted.value) <= max(pasted.unit, 1e-3 * max(abs(got.value), abs(pasted.value)))
        }
    }

    @Test("every `$ manifoldlab …` example in the README and the guides prints what is pasted under it", arguments: documents)
    func pastedOutputs(document: String) throws {
        let examples = try Self.examples(in: document)
        #expect(examples.count >= (document == "README.md" ? 10 : 1))
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for example in examples {
            let run = try CommandLineRunner.run(example.arguments, environment: ["OPENBLAS_NUM_THREADS": "1"], directory: directory)
            let actual = (run.stdout + run.stderr).components(separatedBy: "\n").map(Self.steady)
            var position = 0
            for expected in example.expected.map(Self.steady) where expected != "…" && !expected.isEmpty {
                guard let found = actual[position...].firstIndex(where: { Self.matches($0, expected) }) else {
                    Issue.record("\(document): manifoldlab \(example.arguments.joined(separator: " ")): pasted line not in the output:\n  \(expected)\noutput:\n\(run.stdout)\(run.stderr)")
                    break
                }
                position = found + 1
            }
        }
    }
}
