import Foundation

/// What went wrong, in one sentence a user can act on, and which ``Kind`` of failure it is. The
/// library stops there: the command line maps kinds to exit statuses (`ManifoldLabCLI`).
public enum ManifoldLabError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A value out of its domain. `parameter` is the vocabulary's name (docs/vocabulary.md, snake_case:
    /// `noise`, `d_steps`), spelled by ``ParameterSpelling`` (the command line shows `--noise`, `--d-steps`).
    case invalidValue(parameter: String, value: String, allowed: String)
    /// Two options that cannot be used together, or one that needs another.
    case conflictingOptions(String)
    /// A malformed input file: the file, the 1-based line, and what is wrong there.
    case badInputFile(path: String, line: Int?, problem: String)
    /// An input file that cannot be opened.
    case unreadableInput(path: String, reason: String)
    /// An output file or directory that cannot be created or written.
    case unwritableOutput(path: String, reason: String)
    /// The work would need more memory than allowed; refused before allocating.
    case tooMuchMemory(needed: Int, limit: Int, what: String)
    /// A computation that cannot produce a trustworthy number (solver did not converge, NaN, …).
    case numericalFailure(String)
    /// A method that does not apply to this input, with the reason.
    case methodNotApplicable(method: String, reason: String)
    /// Training produced a NaN or ∞: the generator step where it happened and the quantity.
    case trainingDiverged(step: Int, quantity: String)
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT stopped a run after `step` completed steps; what was logged is on disk.
    case interrupted(step: Int, signal: String)
    /// SIGINT or SIGTERM stopped a comparison of many runs: the finished ones are on disk when `written`.
    case interruptedComparison(finished: Int, planned: Int, signal: String, written: Bool)
    /// A signal stopped a sweep after `finished` of `planned` runs; their rows are written.
    case interruptedSweep(finished: Int, planned: Int, signal: String)
    /// SIGINT or SIGTERM stopped a command that prints only when done (a divergence estimate):
    /// nothing was printed or written.
    case cancelled(signal: String)

    public var description: String {
        switch self {
        case let .invalidValue(parameter, value, allowed):
            return "invalid value '\(value)' for \(parameter: parameter): \(allowed)"
        case let .conflictingOptions(message):
            return message
        case let .badInputFile(path, line, problem):
            return line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)"
        case let .unreadableInput(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unwritableOutput(path, reason):
            return "cannot write \(path): \(reason)"
        case let .tooMuchMemory(needed, limit, what):
            let source = MemoryBudget.source(ofLimit: limit) ?? .option
            let advice = source == .option ? "raise \(parameter: "max_memory") or use fewer points" : "what \(source.name) leaves free; use fewer points or raise that limit"
            return "\(what) would need \(ByteCount.format(needed)), more than the limit of \(ByteCount.format(limit)) (\(advice))"
        case let .numericalFailure(message):
            return message
        case let .methodNotApplicable(method, reason):
            return "method '\(method)' does not apply: \(reason)"
        case let .trainingDiverged(step, quantity):
            return "training diverged at step \(step): \(quantity) (try a lower \(parameter: "lr"))"
        case let .interrupted(step, signal):
            return "interrupted by \(signal) after step \(step); every row logged so far is written"
        case let .interruptedComparison(finished, planned, signal, written):
            return "interrupted by \(signal) after \(finished) of \(planned) runs; "
                + (written ? "the finished runs are written (manifest.json says interrupted)" : "nothing was printed (pass \(parameter: "out") DIR to keep finished runs)")
        case let .interruptedSweep(finished, planned, signal):
            return "interrupted by \(signal) after \(finished) of \(planned) runs; their rows are written, the running ones were stopped "
                + "(\(parameter: "resume") with the same \(parameter: "out") continues)"
        case let .cancelled(signal):
            return "interrupted by \(signal) before the result was complete; nothing was printed"
        }
    }

    /// The kinds of failure a caller can tell apart (the command line gives each its exit status).
    public enum Kind: Sendable, Equatable {
        /// A value or a combination of values the request does not allow.
        case usage
        /// An input file that is malformed.
        case badInput
        /// An input file that cannot be read.
        case unreadableInput
        /// The computation ran and produced nothing trustworthy (NaN, out of range, diverged).
        case numerical
        /// More memory than the limits allow.
        case resources
        /// An output that cannot be written.
        case unwritableOutput
        /// Stopped by a signal.
        case interrupted
    }

    public var kind: Kind {
        switch self {
        case .invalidValue, .conflictingOptions, .methodNotApplicable: return .usage
        case .tooMuchMemory: return .resources
        case .badInputFile: return .badInput
        case .unreadableInput: return .unreadableInput
        case .numericalFailure, .trainingDiverged: return .numerical
        case .unwritableOutput: return .unwritableOutput
        case .interrupted, .interruptedComparison, .interruptedSweep, .cancelled: return .interrupted
        }
    }
}

/// Human-readable byte counts (GiB, MiB, KiB).
public enum ByteCount {
    public static let defaultLimit = 4 << 30

    public static func format(_ bytes: Int) -> String {
        let units: [(Int, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            return value >= 100 ? "\(Int(value.rounded())) \(unit)" : "\(String(format: "%.1f", value)) \(unit)"
        }
        return "\(bytes) B"
    }
}
