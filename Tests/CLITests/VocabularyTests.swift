import Foundation
import Testing
import ManifoldLabCore
@testable import ManifoldLabCLI

/// docs/vocabulary.md is the one vocabulary of the tool; these tests hold the code to it: every
/// option any command shows is a row of its Options table (for that command), every hidden option
/// an Old spelling, and every key the commands write a row of its Output keys table, in snake_case.
@Suite("docs/vocabulary.md holds every option and every output key")
struct VocabularyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The rows of the markdown table under `## heading`: cells with backticks and spaces trimmed.
    static func table(_ heading: String) throws -> [[String]] {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/vocabulary.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "## \(heading)"), "no section \(heading)")
        var rows: [[String]] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }  // the separator row
            rows.append(cells)
        }
        return Array(rows.dropFirst())  // the header row
    }

    static func name(_ cell: String) -> String { cell.replacingOccurrences(of: "`", with: "") }

    @Test("every option each command shows is in the Options table for that command, and every hidden one is an old spelling")
    func optionsAreListed() throws {
        let listed = try Self.table("Options"), old = try Self.table("Old spellings")
        let options = Manifoldlab.longOptions()
        #expect(options.count > 50)
        for (command, option, shown) in options {
            if shown {
                let row = listed.first { Self.name($0[0]) == option }
                #expect(row != nil, "\(option) (\(command)) is not in docs/vocabulary.md's Options")
                if let row, row.count >= 4 {
                    let commands = row[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    #expect(commands.contains("all") || commands.contains(command), "\(option): \(command) is not in its commands (\(row[3]))")
                }
            } else {
                #expect(old.contains { Self.name($0[0]).hasPrefix(option) && $0.count >= 3 && $0[2].contains(command) },
                        "hidden \(option) (\(command)) is not an old spelling in docs/vocabulary.md")
            }
        }
        // And no row names an option that no command has.
        let real = Set(options.map(\.option))
        for row in listed { #expect(real.contains(Self.name(row[0])), "docs/vocabulary.md lists \(row[0]), which no command has") }
    }

    @Test("every parameter the library names in a message is an option of some command, spelled as its flag")
    func libraryNamesOptions() throws {
        let flags = Set(Manifoldlab.longOptions().map(\.option))
        var named: [String: String] = [:]  // key → the file that names it
        let libraries = ["Sources/ManifoldLabCore", "Sources/ManifoldLabGAN"].map { Self.repository.appendingPathComponent($0).path }
        let pattern = try Regex(#"parameter: (?:[^"()]*\? )?"([^"]+)"(?: : "([^"]+)")?"#)
        for root in libraries {
            for case let file as String in FileManager.default.enumerator(atPath: root)! where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                for match in text.matches(of: pattern) {
                    for capture in [match.output[1].substring, match.output[2].substring].compactMap({ $0 }) {
                        named[String(capture)] = file
                    }
                }
            }
        }
        #expect(named.count > 40)
        // Parameters of the library that no command offers stay as keys; a new one is a decision.
        let libraryOnly = ManifoldLabError.libraryOnly
        #expect(libraryOnly.allSatisfy { !flags.contains("--" + $0.replacingOccurrences(of: "_", with: "-")) })
        for (key, file) in named where !key.contains(" ") {
            let spelled = ManifoldLabError.commandLineSpelling(key)
            for (part, shown) in zip(key.split(separator: "/"), spelled.split(separator: "/")) {
                if libraryOnly.contains(String(part)) {
                    #expect(shown == part, "\(file) names '\(part)': shown as \(shown)")
                } else {
                    #expect(flags.contains(String(shown)), "\(file) names '\(part)', shown as \(shown), which no command has")
                }
            }
        }
        #expect(ManifoldLabError.commandLineSpelling("max_iterations") == "max_iterations")
        #expect(ManifoldLabError.commandLineSpelling("d_steps") == "--d-steps")
        #expect(ManifoldLabError.commandLineSpelling("p/q") == "--p/--q")
        #expect(ManifoldLabError.commandLineSpelling("transport weights") == "transport weights")
    }

    @Test("one check of the instance noise, worded once, in every command that takes --noise (library messages speak flags on the command line)")
    func noiseIsCheckedOnce() throws {
        let commands: [[String]] = [["sample", "--manifold", "line"], ["js"], ["kl"], ["wasserstein"], ["divergences"],
                                    ["train-toy"], ["vanish"], ["compare-techniques"], ["dirac"]]
        for command in commands {
            for value in ["-1", "1e-320", "nan"] {
                let run = try CommandLineRunner.run(command + ["--noise=\(value)"])
                #expect(run.status == 64, "\(command) --noise \(value): \(run.stderr)")
                #expect(run.stderr.hasPrefix("manifoldlab: error: invalid value '") &&
                        run.stderr.contains("' for --noise: a standard deviation σ that is 0 or a finite double from 2.2e-308"),
                        "\(command) --noise \(value): \(run.stderr)")
            }
        }
    }

    @Test("every JSON key and CSV column the commands write is snake_case and in the Output keys table")
    func outputKeysAreListed() throws {
        let patterns = try Self.table("Output keys").map { row -> String in
            "^" + NSRegularExpression.escapedPattern(for: Self.name(row[0])).replacingOccurrences(of: "<i>", with: "[0-9]+") + "$"
        }
        let keys = try OutputKeys.collect()
        #expect(keys.count > 100)
        for key in keys.sorted() {
            #expect(key.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil, "\(key) is not snake_case")
            #expect(patterns.contains { key.range(of: $0, options: .regularExpression) != nil }, "\(key) is not in docs/vocabulary.md's Output keys")
        }
    }
}

/// Runs a short instance of every command in every format and collects the keys it writes.
enum OutputKeys {
    static func collect() throws -> Set<String> {
        let directory = CommandLineRunner.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var keys = Set<String>()
        func run(_ arguments: [String]) throws -> String {
            let outcome = try CommandLineRunner.run(arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
            #expect(outcome.status == 0, "\(arguments.joined(separator: " ")): \(outcome.stderr)")
            return outcome.stdout
        }
        func json(_ text: String) {
            for line in text.split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) { walk(object) }
            }
        }
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, member) in object { keys.insert(key); walk(member) }
            } else if let list = value as? [Any] {
                list.forEach(walk)
            }
        }
        func header(_ text: String) { text.split(separator: "\n").first.map { $0.split(separator: ",").forEach { keys.insert(String($0)) } } }
        func file(_ path: String) throws -> String { try String(contentsOfFile: directory + "/" + path, encoding: .utf8) }

        json(try run(["sample", "--n", "3", "--format", "json"]))
        header(try run(["sample", "--n", "3"]))
        let divergence = ["--p", "helix", "--q", "circle", "--n", "300", "--noise", "0.2"]
        json(try run(["divergences"] + divergence + ["--format", "json"]))
        header(try run(["divergences"] + divergence + ["--format", "csv"]))
        json(try run(["kl", "--method", "knn"] + divergence + ["--format", "json"]))
        json(try run(["js", "--method", "classifier"] + divergence + ["--format", "json"]))
        json(try run(["wasserstein", "--method", "sinkhorn"] + divergence + ["--format", "json"]))
        json(try run(["wasserstein", "--method", "sliced"] + divergence + ["--format", "json"]))
        json(try run(["evaluate", "--real", "ring", "--fake", "ring", "--dim", "4", "--n", "300", "--kid-subset-size", "100",
                      "--kid-subsets", "3", "--format", "json"]))
        header(try run(["evaluate", "--real", "helix", "--fake", "circle", "--n", "200", "--metrics", "fd", "prdc", "--format", "csv"]))
        json(try run(["dimension", "--p", "torus", "--n", "300", "--format", "json"]))
        json(try run(["dirac", "--steps", "10", "--format", "json", "--out", directory + "/trajectory.csv",
                      "--field", directory + "/field.csv", "--field-grid", "3"]))
        try header(file("trajectory.csv"))
        try header(file("field.csv"))
        let small = ["--dim", "4", "--hidden", "8", "--batch", "16"]
        json(try run(["train-toy", "--data", "ring", "--steps", "3", "--log-every", "1", "--eval-points", "40", "--noise", "0.1",
                      "--out", directory + "/run", "--format", "json"] + small))
        json(try file("run/manifest.json"))
        json(try file("run/generator.json"))
        for table in ["metrics.csv", "projected.csv", "samples.csv"] { try header(file("run/" + table)) }
        json(try run(["walk", "--run", directory + "/run", "--steps", "2", "--format", "json", "--full"]))
        header(try run(["walk", "--run", directory + "/run", "--steps", "2", "--format", "csv", "--full"]))
        json(try run(["vanish", "--steps", "20", "--record-every", "5", "--probe-batches", "2", "--generator", "affine", "--noise", "0.5",
                      "--out", directory + "/vanish", "--format", "json"] + small))
        json(try file("vanish/manifest.json"))
        try header(file("vanish/vanish.csv"))
        json(try run(["compare-techniques", "--steps", "3", "--seeds", "1", "--only", "plain", "--out", directory + "/compare",
                      "--format", "json"] + small))
        json(try file("compare/manifest.json"))
        for table in ["runs.csv", "summary.csv"] { try header(file("compare/" + table)) }
        let semi = ["semi-supervised", "--steps", "3", "--n-unlabelled", "200", "--test-points", "50", "--seeds", "2",
                    "--out", directory + "/semi"] + small
        json(try run(semi + ["--format", "json"]))
        header(try run(semi + ["--format", "csv"]))
        json(try file("semi/manifest.json"))
        for table in ["metrics.csv", "runs.csv"] { try header(file("semi/" + table)) }
        return keys
    }
}
