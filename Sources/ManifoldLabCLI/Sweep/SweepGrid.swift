import Foundation
import ManifoldLabCore

/// The runs of `manifoldlab sweep CMD …`: CMD's arguments with some values given as lists or
/// ranges, expanded into the grid of their combinations (the last axis varies fastest).
///
/// A value is an axis when it is a list `0.1,0.2,0.5`, a linear range `0.01:1:9` (9 values from
/// 0.01 to 1), a log range `0.01:1:9:log`, or an integer range `0..9`; `--seeds 0..9` is an axis
/// of `--seed`. Never split: `file:` values, and the options whose single value has commas
/// (`--minibatch-disc`, `--from`, `--to`, `--start`), whose alternatives are separated by `;`.
struct SweepGrid: Equatable {
    /// One varying option: its flag and its values, as they are passed on.
    struct Axis: Equatable {
        let option: String
        let values: [String]
        /// The column it gets in the sweep's table: the vocabulary key (`--d-steps` → `d_steps`).
        var key: String { String(option.dropFirst(2)).replacingOccurrences(of: "-", with: "_") }
    }

    let command: String
    /// CMD's arguments, with a placeholder where each axis's option and value go.
    let template: [Token]
    let axes: [Axis]
    /// The single-valued options by key (`--loss wgan-gp` → loss: wgan-gp), for `{KEY}` placeholders.
    let constants: [String: String]

    /// A fixed argument, or axis `i` passed as `--option=value` (so that a value such as `-1` is
    /// never read as an option).
    enum Token: Equatable { case fixed(String), axis(Int) }

    static let commaValued: Set<String> = ["--minibatch-disc", "--from", "--to", "--start"]

    init(_ arguments: [String]) throws(ManifoldLabError) {
        guard let command = arguments.first, !command.hasPrefix("-") else {
            throw .conflictingOptions("sweep needs a command to run: manifoldlab sweep [options] CMD [CMD's options, with lists]")
        }
        guard command != "sweep" else { throw .conflictingOptions("a sweep cannot run sweep") }
        self.command = command
        var template: [Token] = [], axes: [Axis] = [], constants: [String: String] = [:]
        var rest = arguments.dropFirst()[...]
        while let token = rest.popFirst() {
            guard token.hasPrefix("--") else { template.append(.fixed(token)); continue }
            var option = token, value: String?
            if let equals = token.firstIndex(of: "=") {
                option = String(token[..<equals])
                value = String(token[token.index(after: equals)...])
            } else if let next = rest.first, !next.hasPrefix("--") {
                value = rest.removeFirst()
            }
            if option == "--format" || option == "--no-header" {
                throw .conflictingOptions("sweep chooses CMD's \(option) itself: give sweep --format before CMD")
            }
            guard let value else { template.append(.fixed(option)); continue }
            let values = try Self.expand(value, option: option)
            if values.count > 1 || value != values.first {
                // `--seeds 0..9` is an axis of `--seed` (compare-techniques' `--seeds N`, a count, passes through).
                let flag = option == "--seeds" ? "--seed" : option
                template.append(.axis(axes.count))
                axes.append(Axis(option: flag, values: values))
            } else {
                template += [.fixed(option), .fixed(value)]
                constants[Axis(option: option, values: []).key] = value
            }
        }
        self.template = template
        self.axes = axes
        self.constants = constants
        // `{KEY}` must name an option of CMD: a misspelt one would silently name a folder "{lose}".
        let known = Set(axes.map(\.key)).union(constants.keys)
        for case .fixed(let text) in template {
            for match in text.matches(of: Self.placeholder) where !known.contains(String(match.output.1)) {
                throw .conflictingOptions("{\(match.output.1)} in '\(text)' names no option of the sweep's command; {KEY} stands for the value of --KEY (dashes as underscores), e.g. {loss} for --loss")
            }
        }
    }

    /// `{key}`: a placeholder for the value of option --key in a run.
    nonisolated(unsafe) static let placeholder = /\{([a-z][a-z0-9_]*)\}/

    /// The values `text` stands for (itself when it is not a list or a range).
    static func expand(_ text: String, option: String) throws(ManifoldLabError) -> [String] {
        if text.hasPrefix("file:") { return [text] }
        if commaValued.contains(option) { return text.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3 || (parts.count == 4 && parts[3] == "log"),
           let a = Double(parts[0]), let b = Double(parts[1]), let count = Int(parts[2]) {
            guard count >= 1, count <= 1_000_000, a.isFinite, b.isFinite else {
                throw .invalidValue(parameter: "sweep range", value: text, allowed: "FROM:TO:COUNT[:log] with finite ends and 1 ≤ COUNT ≤ 10^6")
            }
            let log = parts.count == 4
            if log && (a <= 0 || b <= 0) {
                throw .invalidValue(parameter: "sweep range", value: text, allowed: "a log range between positive ends")
            }
            return (0..<count).map { i in
                let t = count == 1 ? 0 : Double(i) / Double(count - 1)
                // (1 − t)·a + t·b: b − a overflows for ends near ±1.8e308.
                let value = log ? exp((1 - t) * Foundation.log(a) + t * Foundation.log(b)) : (1 - t) * a + t * b
                // The ends as the user wrote them; inside, 12 digits, so 0.1 is not 0.10000000000000002.
                return i == 0 ? parts[0] : i == count - 1 ? parts[1] : String(format: "%.12g", value)
            }
        }
        let ends = text.components(separatedBy: "..")
        if ends.count == 2, let low = Int(ends[0]), let high = Int(ends[1]) {
            guard low <= high, high - low < 1_000_000 else {
                throw .invalidValue(parameter: "sweep range", value: text, allowed: "LOW..HIGH with LOW ≤ HIGH, at most 10^6 values")
            }
            return (low...high).map(String.init)
        }
        if text.contains(",") { return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return [text]
    }

    /// How many runs the grid holds.
    var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The axis values of run `index` (the last axis fastest).
    func point(_ index: Int) -> [String] {
        var rest = index
        var values = [String](repeating: "", count: axes.count)
        for (i, axis) in axes.enumerated().reversed() {
            values[i] = axis.values[rest % axis.values.count]
            rest /= axis.values.count
        }
        return values
    }

    /// CMD's full argument list for run `index` (without `--format`). In a fixed value, `{KEY}`
    /// stands for the run's value of option --KEY, an axis or a single value (`--out
    /// runs/E{pretrain_steps}`: one folder per run).
    func arguments(_ index: Int) -> [String] {
        let point = point(index)
        return [command] + template.map { token in
            switch token {
            case .fixed(let text) where text.contains("{"):
                let withAxes = zip(axes, point).reduce(text) { $0.replacingOccurrences(of: "{\($1.0.key)}", with: $1.1) }
                return constants.reduce(withAxes) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
            case .fixed(let text): return text
            case .axis(let i): return axes[i].option + "=" + point[i]
            }
        }
    }
}

/// POSIX shell quoting: a word that the shell passes on unchanged, whatever it holds (spaces,
/// quotes, `;`, `$(…)`, newlines).
enum ShellQuoting {
    static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/=+@%")
        if !word.isEmpty && word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func line(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }
}
