import Foundation
import Testing
@testable import ManifoldLab

/// Property: for any option set, valid or not, the CLI never crashes or hangs; it exits 0 with
/// output, or non-zero with exactly one line on stderr and nothing on stdout.
@Suite("Random option sets against the CLI")
struct RandomOptionTests {
    static let values: [String: [String]] = [
        "--dim": ["-1", "0", "1", "2", "3", "7", "64", "abc", "1e9", "99999999999"],
        "--noise": ["-1", "0", "0.05", "0.3", "nan", "inf", "1e-9", "x"],
        "--n": ["0", "1", "2", "40", "200", "1000000000000", "-5"],
        "--offset": ["0", "0.5", "-3", "nan", "1e308", "inf"],
        "--angle": ["0", "30", "180", "nan", "-720"],
        "--seed": ["0", "1", "18446744073709551615", "-1"],
        "--p": ["line", "plane", "helix", "torus", "ring", "gaussian", "moebius", "file:/nonexistent.csv", "file:"],
        "--q": ["line", "plane", "circle", "sphere", "grid", "uniform", "", "flat"],
        "--manifold": ["line", "helix", "sphere", "swissroll", "flat", "nothing"],
        "--method": ["auto", "exact", "smoothed", "knn", "classifier", "sinkhorn", "sliced", "magic"],
        "--format": ["text", "json", "csv", "xml"],
        "--intrinsic": ["0", "1", "3", "9"],
        "--modes": ["0", "3", "8", "5000"],
        "--loss": ["gan", "nsgan", "wgan", "wgan-gp", "r1", "noise", "hinge"],
        "--h": ["0", "0.1", "-1", "nan"],
        "--steps": ["0", "10", "100"],
        "--start": ["1,1", "0.5,-0.5", "nan,1", "1"],
    ]
    static let commands: [String: [String]] = [
        "sample": ["--manifold", "--dim", "--n", "--noise", "--seed", "--format", "--intrinsic", "--modes"],
        "js": ["--p", "--q", "--dim", "--noise", "--n", "--offset", "--angle", "--method", "--format", "--seed"],
        "kl": ["--p", "--q", "--dim", "--noise", "--n", "--method", "--format"],
        "wasserstein": ["--p", "--q", "--dim", "--n", "--method", "--format", "--offset"],
        "dirac": ["--loss", "--h", "--steps", "--start", "--format"],
    ]

    @Test("200 random option sets: exit 0 with output, or one stderr line and no stdout; never a crash or hang")
    func randomOptionSets() throws {
        let rng = RandomStream(seed: Seed(2026))
        let names = Self.commands.keys.sorted()
        for _ in 0..<200 {
            let command = names[rng.integer(below: names.count)]
            var arguments = [command]
            for option in Self.commands[command]! where rng.uniform() < 0.5 {
                let choices = Self.values[option]!
                arguments += ["\(option)=\(choices[rng.integer(below: choices.count)])"]
            }
            // Keep valid sampling runs small: the property is about robustness, not speed.
            if !arguments.contains(where: { $0.hasPrefix("--n=") }) && command != "dirac" { arguments.append("--n=100") }
            let outcome = try CommandLineRunner.run(arguments, timeout: 60)
            let described = arguments.joined(separator: " ")
            #expect(!outcome.timedOut, "hung: \(described)")
            #expect(outcome.status == 0 || (64...78).contains(outcome.status), "crashed (\(outcome.status)): \(described)")
            if outcome.status == 0 {
                #expect(!outcome.stdout.isEmpty, "no output: \(described)")
                #expect(!outcome.stdout.contains("nan") || command == "sample", "NaN printed: \(described)")
            } else {
                #expect(outcome.stderrLines.count == 1, "stderr not one line: \(described): \(outcome.stderr)")
                #expect(outcome.stdout.isEmpty, "output despite error: \(described)")
            }
        }
    }
}
