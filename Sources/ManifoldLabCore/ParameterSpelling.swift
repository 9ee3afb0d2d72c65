import Synchronization

/// How messages name a parameter. The library writes `"\(parameter: "d_steps")"` and never a flag:
/// by default the vocabulary's key is printed (`d_steps`, docs/vocabulary.md); the command line
/// installs its own spelling once at start (`--d-steps`), so the same sentence reads right in both.
public enum ParameterSpelling {
    private static let spelling = Mutex<@Sendable (String) -> String>({ $0 })

    /// Replaces how keys are spelled from now on (the command line calls this once, before parsing).
    public static func use(_ spell: @escaping @Sendable (String) -> String) {
        spelling.withLock { $0 = spell }
    }

    /// `key` (a vocabulary key, or several joined by `/`: `p/q`) as messages show it now.
    public static func spell(_ key: String) -> String {
        spelling.withLock { $0 }(key)
    }
}

extension DefaultStringInterpolation {
    /// `"raise \(parameter: "max_iterations")"`: the parameter as ``ParameterSpelling`` names it.
    public mutating func appendInterpolation(parameter key: String) {
        appendLiteral(ParameterSpelling.spell(key))
    }
}
