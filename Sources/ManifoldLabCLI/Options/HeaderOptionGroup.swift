import ArgumentParser
import ManifoldLabCore

/// `--no-header`: a CSV table without its header row, so that the runs of a shell loop append
/// to one table (`for s in 1 2 3; do manifoldlab … --format csv --no-header; done >> runs.csv`).
struct HeaderOptionGroup: ParsableArguments {
    @Flag(name: .customLong("no-header"),
          help: "With --format csv: leave out the header row, so that the runs of a sweep append to one table.")
    var noHeader = false

    /// `table` (CSV text) with its first line removed when asked.
    func table(_ table: String) -> String {
        guard noHeader else { return table }
        guard let newline = table.firstIndex(of: "\n") else { return "" }
        return String(table[table.index(after: newline)...])
    }

    /// Refuses `--no-header` where no CSV is printed.
    func check(csv: Bool) throws(ManifoldLabError) {
        if noHeader && !csv {
            throw .conflictingOptions("--no-header applies to --format csv only")
        }
    }
}
