import Foundation
import Synchronization

/// A file written atomically: text goes to a temporary file beside the target, which is renamed
/// over the target only when complete, so a reader never sees half a CSV.
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
