import Foundation
import ManifoldLabCore
import Synchronization

/// Runs the grid's commands, `jobs` at a time, as child processes of this binary (or takes their
/// outcomes from GNU parallel, ``ParallelEngine``, or a Slurm array, ``SlurmEngine``), and writes their
/// results in grid order as one table (CSV: one header, the grid's columns first where CMD does not
/// report them itself) or JSON lines (each object with the grid's keys it lacks). Rows reach the
/// sink as soon as every earlier run is done, so a sweep killed half way keeps what it printed.
struct SweepRunner {
    enum Format: String { case csv, json }

    let grid: SweepGrid
    let format: Format
    let jobs: Int
    let binary: String

    /// One finished run: its output and exit status.
    struct Outcome: Sendable {
        let stdout: String
        let stderr: String
        let status: Int32
    }

    /// Runs every index not in `skip`; `header` is the table's header when resuming a CSV. `batch`,
    /// when given, produces the outcomes of all pending indices at once instead (GNU parallel, or the
    /// files a Slurm array left). Returns the failures (index, one line). `write` receives text in
    /// grid order; `progress` counts runs.
    func run(skip: Set<Int>, header existing: [String]?,
             batch: ((_ pending: [Int]) throws(ManifoldLabError) -> [Outcome])? = nil,
             write: @escaping @Sendable (String) throws(ManifoldLabError) -> Void,
             progress: @escaping @Sendable (Int, Int) -> Void) throws(ManifoldLabError) -> [(index: Int, problem: String)] {
        let pending = (0..<grid.count).filter { !skip.contains($0) }
        struct State {
            var next = 0
            var done: [Int: Outcome] = [:]
            var flushed = 0
            var header: [String]?
            var failures: [(Int, String)] = []
            var writeError: ManifoldLabError?
        }
        let state = Mutex(State(header: existing))
        let grid = self.grid, format = self.format, binary = self.binary
        let total = pending.count
        /// Records run `slot`'s outcome and writes every run whose predecessors are all written.
        @Sendable func finished(_ slot: Int, _ outcome: Outcome) {
            state.withLock { s in
                s.done[slot] = outcome
                while let ready = s.done.removeValue(forKey: s.flushed) {
                    let index = pending[s.flushed]
                    s.flushed += 1
                    do throws(ManifoldLabError) {
                        let text = try Self.rows(of: ready, index: index, grid: grid, format: format, header: &s.header)
                        if !text.isEmpty { try write(text) }
                        if ready.status != 0 {
                            let line = ready.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(ready.status)"
                            s.failures.append((index, line.replacingOccurrences(of: "manifoldlab: error: ", with: "")))
                        }
                    } catch {
                        if error.kind == .unwritableOutput { s.writeError = error } else { s.failures.append((index, error.description)) }
                    }
                }
                progress(s.flushed, total)
            }
        }
        // A signal (recorded by Signals.install()) stops the scheduling, and the running children
        // (or GNU parallel) get SIGTERM; the rows of finished runs are written, then exit 130.
        let watcher = Thread {
            while state.withLock({ $0.flushed < total }) {
                if Interruption.received != nil {
                    Self.children.withLock { for pid in $0 { kill(pid, SIGTERM) } }
                }
                usleep(50_000)
            }
        }
        watcher.start()
        defer { state.withLock { $0.flushed = total } }
        if let batch {
            let outcomes = try batch(pending)
            for (slot, outcome) in outcomes.enumerated() { finished(slot, outcome) }
        } else {
            DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, total))) { _ in
                while true {
                    let slot: Int? = state.withLock { s in
                        guard s.writeError == nil, s.next < pending.count, Interruption.received == nil else { return nil }
                        defer { s.next += 1 }
                        return s.next
                    }
                    guard let slot else { return }
                    finished(slot, Self.execute(binary, grid.arguments(pending[slot]) + ["--format", format.rawValue]))
                }
            }
        }
        let final = state.withLock { $0 }
        if let error = final.writeError { throw error }
        if let signal = Interruption.received {
            let written = final.flushed - final.failures.count
            throw .interruptedSweep(finished: max(0, min(written, total)), planned: total, signal: signal)
        }
        return final.failures
    }

    /// The text that run `index` adds to the table: its rows with the grid's columns (and, for the
    /// first run of a CSV, the header); empty when it printed nothing.
    static func rows(of outcome: Outcome, index: Int, grid: SweepGrid, format: Format,
                     header: inout [String]?) throws(ManifoldLabError) -> String {
        let lines = format == .csv ? CSVRow.records(outcome.stdout)
            : outcome.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let point = grid.point(index)
        switch format {
        case .json:
            return lines.map { line in
                let present = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map { Set($0.keys) } ?? []
                let added = zip(grid.axes, point).filter { !present.contains($0.0.key) }
                    .map { "\"\($0.0.key)\":\(jsonValue($0.1))," }.joined()
                return line.hasPrefix("{") ? "{" + added + line.dropFirst() + "\n" : line + "\n"
            }.joined()
        case .csv:
            guard let first = lines.first else { return "" }
            let runHeader = CSVRow.split(first)
            let gridColumns = grid.axes.enumerated().filter { !runHeader.contains($0.element.key) }
            let tableHeader = gridColumns.map(\.element.key) + runHeader
            var text = ""
            if let header {
                guard header == tableHeader else {
                    throw .badInputFile(path: "run \(index + 1)", line: nil, problem: "its CSV columns differ from the table's (\(tableHeader.joined(separator: ",")))")
                }
            } else {
                header = tableHeader
                text += tableHeader.joined(separator: ",") + "\n"
            }
            let prefix = gridColumns.map { CSVRow.escape(point[$0.offset]) + "," }.joined()
            for line in lines.dropFirst() { text += prefix + line + "\n" }
            return text
        }
    }

    /// A grid value in JSON: a number when it reads as a finite one, else a string.
    static func jsonValue(_ text: String) -> String {
        if let value = Double(text), value.isFinite, !text.contains("x"), !text.hasPrefix("+") { return NumberFormat.json(value) }
        return JSONOutput.line(text)
    }

    /// The running children, for the stop on a signal.
    static let children = Mutex(Set<pid_t>())

    /// Runs `arguments` through `binary`, capturing both streams.
    static func execute(_ binary: String, _ arguments: [String]) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return Outcome(stdout: "", stderr: "cannot start \(binary): \(error.localizedDescription)", status: 71)
        }
        let pid = process.processIdentifier
        children.withLock { _ = $0.insert(pid) }
        defer { children.withLock { _ = $0.remove(pid) } }
        // Read both pipes to their ends concurrently, so neither fills and blocks the child.
        let errData = Mutex(Data())
        let reader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        return Outcome(stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self), status: process.terminationStatus)
    }
}

/// One CSV row as RFC 4180 has it: fields split at commas outside double quotes.
enum CSVRow {
    static func split(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var characters = line.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    if let n = characters.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; if n == "," { fields.append(field); field = "" } else { field.append(n) } }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else { field.append(c) }
        }
        fields.append(field)
        return fields
    }

    /// The records of a CSV text: its lines, except that a newline inside a quoted field (a file
    /// name may hold one) belongs to its record. Empty lines are dropped.
    static func records(_ text: String) -> [String] {
        var records: [String] = [], record = "", quoted = false
        for c in text {
            if c == "\"" { quoted.toggle() }
            if c == "\n" && !quoted {
                if !record.isEmpty { records.append(record) }
                record = ""
            } else { record.append(c) }
        }
        if !record.isEmpty { records.append(record) }
        return records
    }

    static func escape(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
