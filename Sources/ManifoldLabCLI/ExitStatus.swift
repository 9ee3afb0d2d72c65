import Foundation
import ManifoldLabCore

/// Exit statuses follow BSD `sysexits.h`: 64 usage, 65 bad input data, 66 missing input,
/// 70 internal/numerical fault, 71 not enough memory (EX_OSERR: a limit of the option, the process
/// or its cgroup), 73 cannot create output; 130 interrupted (128 + SIGINT, also used for SIGTERM,
/// SIGHUP and SIGQUIT). The library reports a ``ManifoldLabError/Kind``; only the front end exits.
extension ManifoldLabError.Kind {
    var exitStatus: Int32 {
        switch self {
        case .usage: return 64
        case .badInput: return 65
        case .unreadableInput: return 66
        case .numerical: return 70
        case .resources: return 71
        case .unwritableOutput: return 73
        case .interrupted: return 130
        }
    }
}

extension ManifoldLabError {
    /// The process exit status for this error.
    var exitStatus: Int32 { kind.exitStatus }

    /// How the command line names a parameter of the library's messages: a vocabulary key is its
    /// long option (`d_steps` → `--d-steps`, `p/q` → `--p/--q`); a parameter that no command
    /// offers (``libraryOnly``) and a phrase (`transport weights`) stay as they are. VocabularyTests
    /// checks that every other key the library names is a flag of some command.
    static func commandLineSpelling(_ key: String) -> String {
        key.split(separator: "/").map { part in
            part.contains(" ") || libraryOnly.contains(String(part))
                ? String(part) : "--" + part.replacingOccurrences(of: "_", with: "-")
        }.joined(separator: "/")
    }

    /// Parameters of the transport solvers that the commands set themselves.
    static let libraryOnly: Set<String> = ["tolerance", "max_iterations"]
}

extension Manifoldlab {
    /// (subcommand, `--name`, shown in its help) for every long option of every subcommand, read from
    /// the parser's own description of the tool (`_dumpHelp`); `--help` and `--version` left out.
    static func longOptions() -> [(command: String, option: String, shown: Bool)] {
        guard let dump = try? JSONSerialization.jsonObject(with: Data(_dumpHelp().utf8)) as? [String: Any],
              let root = dump["command"] as? [String: Any] else { return [] }
        var result: [(String, String, Bool)] = []
        for sub in root["subcommands"] as? [[String: Any]] ?? [] {
            let command = sub["commandName"] as? String ?? ""
            for argument in sub["arguments"] as? [[String: Any]] ?? [] {
                let shown = argument["shouldDisplay"] as? Bool ?? true
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    let long = "--" + (name["name"] as? String ?? "")
                    if !["--help", "--version"].contains(long) { result.append((command, long, shown)) }
                }
            }
        }
        return result
    }
}
