import Foundation

/// The programs manifoldlab hands work to (gnuplot, GNU parallel), found as the shell finds them.
public enum SearchPath {
    /// The first executable `name` in a directory of `PATH` (`/usr/bin:/bin` when unset), or nil.
    public static func executable(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
