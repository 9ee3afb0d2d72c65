import Foundation
import ManifoldLabCore

/// The directory a run writes its files to (`--out DIR`): created before any work, refused with
/// exit status 73 when it cannot be written; every file in it is written atomically.
///
/// A directory belongs to one run: opening it removes, by name, the files an earlier run of
/// `train-toy`, `vanish` or `compare-techniques` wrote there (``runFileNames``) and the temporary
/// files of runs that were killed (``OutputFile/removeStaleTemporaryFiles(for:)``), and nothing
/// else. The run's ``runID`` goes into its manifest and its `generator.json`, so `walk` can tell
/// that the two belong together.
public struct RunDirectory: Sendable {
    public let path: String
    /// A fresh random UUID (lowercase) naming this run.
    public let runID: String

    /// Every file a manifoldlab run writes into its directory (the plots are gnuplot's).
    public static let runFileNames = ["metrics.csv", "samples.csv", "projected.csv", "generator.json", "manifest.json",
                                      "plots.gp", "curves.png", "samples.png", "vanish.csv", "vanish.gp", "vanish.png",
                                      "runs.csv", "summary.csv"]

    /// Creates `path` (and missing parents), checks that files can be created in it, and removes
    /// the files of an earlier run there (see above).
    public init(path: String) throws(ManifoldLabError) {
        self.path = path
        runID = UUID().uuidString.lowercased()
        if path == "-" { throw .unwritableOutput(path: path, reason: "a run writes a directory of files, which standard output cannot hold: give \(parameter: "out") DIR") }
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
        try removePreviousRun()
    }

    /// Removes the files of an earlier run by name (never anything else), and temporary files
    /// whose writer is dead.
    func removePreviousRun() throws(ManifoldLabError) {
        for name in Self.runFileNames {
            let target = file(name)
            OutputFile.removeStaleTemporaryFiles(for: target)
            guard unlink(target) == 0 || errno == ENOENT else {
                throw .unwritableOutput(path: target, reason: "cannot remove the earlier run's file (\(String(cString: strerror(errno))))")
            }
        }
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` to `name` in the directory, atomically.
    public func write(_ name: String, _ text: String) throws(ManifoldLabError) {
        try OutputFile.write(text, to: file(name))
    }

    /// The path of `gnuplot` on PATH, if any.
    public static var gnuplot: String? { SearchPath.executable("gnuplot") }

    /// What became of a run's pictures.
    public enum Pictures: Sendable, Equatable {
        /// gnuplot drew them.
        case drawn
        /// gnuplot is not on PATH: the script is written, the pictures are not.
        case noGnuplot
        /// gnuplot ran and failed (not an error of the run).
        case failed
    }

    /// Writes `script` as `name` always, and draws it with gnuplot in the directory when gnuplot
    /// is installed.
    @discardableResult
    public func plot(script: String, name: String) throws(ManifoldLabError) -> Pictures {
        try write(name, script)
        guard let gnuplot = Self.gnuplot else { return .noGnuplot }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = [name]
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .failed }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? .drawn : .failed
    }
}
