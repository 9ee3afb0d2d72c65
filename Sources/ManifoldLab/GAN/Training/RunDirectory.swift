import Foundation

/// The directory a run writes its files to (`--out DIR`): created before any work, refused with
/// exit status 73 when it cannot be written; every file in it is written atomically.
public struct RunDirectory: Sendable {
    public let path: String

    /// Creates `path` (and missing parents) and checks that files can be created in it.
    public init(path: String) throws(ManifoldLabError) {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .unwritableOutput(path: path, reason: "it exists and is not a directory") }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw .unwritableOutput(path: path, reason: "cannot create the directory (\((error as NSError).localizedDescription))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` to `name` in the directory, atomically.
    public func write(_ name: String, _ text: String) throws(ManifoldLabError) {
        try OutputFile.write(text, to: file(name))
    }

    /// The path of `gnuplot` on PATH, if any.
    public static var gnuplot: String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/gnuplot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Writes `script` as `name` and runs gnuplot on it in the directory when gnuplot is installed;
    /// returns whether the plots were made. A gnuplot failure is not an error of the run.
    @discardableResult
    public func plot(script: String, name: String) throws(ManifoldLabError) -> Bool {
        guard let gnuplot = Self.gnuplot else { return false }
        try write(name, script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = [name]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// A one-line progress indicator on stderr, redrawn at most ten times a second, only when stderr is
/// a terminal (`isatty`); erased when done.
public final class ProgressLine {
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private let label: String

    public init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    public func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 100_000_000 || done == total else { return }
        lastDraw = now
        let width = 30, filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)\u{1B}[K".utf8))
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
