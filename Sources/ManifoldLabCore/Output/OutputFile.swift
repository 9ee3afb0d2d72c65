import Foundation
import Synchronization

/// Where a command's `--out` points, written without destroying what is there.
///
/// A regular file (or a new name) is written atomically: text goes to a temporary file beside the
/// target, renamed over it only when complete, so a reader never sees half a CSV. A symlink is
/// followed and its target replaced that way (the link stays a link). A FIFO, a character device
/// or a socket is written to directly, never replaced; `-` is standard output; a directory where
/// a file is expected is an error.
///
/// The temporary file is `.NAME.tmp-PID-N` (PID: the writing process). A run killed by SIGKILL
/// cannot remove it; the next ``OutputFile`` for the same target removes every such file whose
/// PID is no longer a live process, and leaves those of live runs alone.
public final class OutputFile {
    private static let serial = Atomic<Int>(0)
    public let path: String
    /// The temporary file renamed over ``target`` on commit; nil when written directly.
    private let temporaryPath: String?
    /// The file that receives the content: `path` with its symlinks followed.
    private let target: String
    private let handle: FileHandle
    private var finished = false

    /// Opens the destination now, so an unwritable path fails before any work (exit 73).
    public init(path: String) throws(ManifoldLabError) {
        self.path = path
        if path == "-" {
            (target, temporaryPath, handle) = (path, nil, .standardOutput)
            return
        }
        let target = try Self.followingSymlinks(path)
        self.target = target
        var info = stat()
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw .unwritableOutput(path: path, reason: "it is a directory (a file is expected here)")
            case S_IFREG:
                break
            default:
                // A FIFO, a terminal or another device: write into it, never replace it.
                guard let handle = FileHandle(forWritingAtPath: target) else {
                    throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
                }
                (temporaryPath, self.handle) = (nil, handle)
                return
            }
        }
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unwritableOutput(path: path, reason: "directory \(directory) does not exist")
        }
        Self.removeStaleTemporaryFiles(for: target)
        // Unique per file object, so two outputs aimed at one path cannot share a temporary file.
        let serial = Self.serial.add(1, ordering: .relaxed).newValue
        let temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(serial)"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
        (self.temporaryPath, self.handle) = (temporaryPath, handle)
        Interruption.track(temporaryFile: temporaryPath)
    }

    /// `path` with every symlink along the final component followed (a dangling link gives the
    /// path it points to, which is then created); a loop is an error.
    static func followingSymlinks(_ path: String) throws(ManifoldLabError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                throw .unwritableOutput(path: path, reason: "cannot read the symlink \(current)")
            }
            current = destination.hasPrefix("/") ? destination
                : (URL(fileURLWithPath: current).deletingLastPathComponent().path as NSString).appendingPathComponent(destination)
        }
        throw .unwritableOutput(path: path, reason: "too many levels of symbolic links")
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
        guard !finished, let temporaryPath else { return }
        try? handle.close()
        unlink(temporaryPath)
        Interruption.untrack(temporaryFile: temporaryPath)
    }

    public func write(_ text: String) throws(ManifoldLabError) {
        try write(Data(text.utf8))
    }

    public func write(_ data: Data) throws(ManifoldLabError) {
        do { try handle.write(contentsOf: data) } catch {
            throw .unwritableOutput(path: path, reason: error.localizedDescription)
        }
    }

    /// Renames the complete temporary file over the target; a direct destination is only closed
    /// (standard output stays open).
    public func commit() throws(ManifoldLabError) {
        guard let temporaryPath else {
            if path != "-" { try? handle.close() }
            finished = true
            return
        }
        do { try handle.synchronize(); try handle.close() } catch {
            throw .unwritableOutput(path: path, reason: error.localizedDescription)
        }
        guard rename(temporaryPath, target) == 0 else {
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
