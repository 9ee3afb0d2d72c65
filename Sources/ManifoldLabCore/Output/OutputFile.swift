import Foundation
import Synchronization

/// A file written atomically: text goes to a temporary file beside the target, which is renamed
/// over the target only when complete, so a reader never sees half a CSV.
///
/// The temporary file is `.NAME.tmp-PID-N` (PID: the writing process). A run killed by SIGKILL
/// cannot remove it; the next ``OutputFile`` for the same target removes every such file whose
/// PID is no longer a live process, and leaves those of live runs alone.
public final class OutputFile {
    private static let serial = Atomic<Int>(0)
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var finished = false

    /// Creates the temporary file now, so an unwritable path fails before any work (exit 73).
    public init(path: String) throws(ManifoldLabError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .unwritableOutput(path: path, reason: "it is a directory")
        }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unwritableOutput(path: path, reason: "directory \(directory) does not exist")
        }
        Self.removeStaleTemporaryFiles(for: path)
        // Unique per file object, so two outputs aimed at one path cannot share a temporary file.
        let serial = Self.serial.add(1, ordering: .relaxed).newValue
        temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(serial)"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        Interruption.track(temporaryFile: temporaryPath)
    }

    /// Removes the temporary files `.NAME.tmp-PID-N` beside `path` whose process PID is dead
    /// (`kill(PID, 0)` fails with ESRCH); returns their names. Files of live processes, of this
    /// process and every other file are left alone.
    @discardableResult
    public static func removeStaleTemporaryFiles(for path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = temporaryFileOwner(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH && unlink(directory + "/" + name) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The PID in a temporary file's suffix `PID-N`, or nil when the suffix is not of that form.
    static func temporaryFileOwner(_ suffix: Substring) -> pid_t? {
        let parts = suffix.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, Int(parts[1]) != nil else { return nil }
        return pid
    }

    deinit {
        if !finished {
            try? handle.close()
            unlink(temporaryPath)
            Interruption.untrack(temporaryFile: temporaryPath)
        }
    }

    public func write(_ text: String) throws(ManifoldLabError) {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw .unwritableOutput(path: path, reason: error.localizedDescription)
        }
    }

    /// Closes the temporary file and renames it over `path`.
    public func commit() throws(ManifoldLabError) {
        do { try handle.synchronize(); try handle.close() } catch {
            throw .unwritableOutput(path: path, reason: error.localizedDescription)
        }
        guard rename(temporaryPath, path) == 0 else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
        finished = true
        Interruption.untrack(temporaryFile: temporaryPath)
    }

    /// Writes `text` to `path` atomically in one go.
    public static func write(_ text: String, to path: String) throws(ManifoldLabError) {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }
}

/// Standard output, written in large chunks.
public enum StandardOutput {
    public static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
