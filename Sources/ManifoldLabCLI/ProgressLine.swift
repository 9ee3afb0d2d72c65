import Foundation

/// A one-line progress indicator on stderr — bar, count, rate and the time left — redrawn at most
/// ten times a second, only when stderr is a terminal (`isatty`); erased when done.
/// Not locked: callers that share one across threads serialise their updates (the sweep calls it
/// under its lock; compare-techniques and semi-supervised through SharedProgress).
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private let label: String
    private let unit: String
    private let start = DispatchTime.now().uptimeNanoseconds

    /// `unit`: what is counted, for the rate (`steps/s`).
    init(label: String, unit: String = "steps") {
        self.label = label
        self.unit = unit
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// "12.3 steps/s, 1m05s left" from `done` of `total` after `seconds`.
    static func pace(_ done: Int, of total: Int, seconds: Double, unit: String) -> String {
        guard done > 0, seconds > 0 else { return "" }
        let rate = Double(done) / seconds
        let left = Double(total - done) / rate
        let eta = left >= 3600 ? String(format: "%dh%02dm", Int(left) / 3600, Int(left) % 3600 / 60)
            : left >= 60 ? String(format: "%dm%02ds", Int(left) / 60, Int(left) % 60) : String(format: "%.0fs", left)
        let shown = rate >= 100 ? String(format: "%.0f", rate) : String(format: "%.3g", rate)
        return ", \(shown) \(unit)/s, \(eta) left"
    }

    func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 100_000_000 || done == total else { return }
        lastDraw = now
        let width = 30, filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let pace = Self.pace(done, of: total, seconds: Double(now - start) / 1e9, unit: unit)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)\(pace)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// A progress line that concurrent workers may update.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let line: ProgressLine

    init(label: String, unit: String = "runs") { line = ProgressLine(label: label, unit: unit) }

    func update(_ done: Int, of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        line.update(done, of: total)
    }

    func finish() { line.finish() }
}
