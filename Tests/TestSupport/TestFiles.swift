import Foundation

/// Scratch space for tests: a fresh directory under the system's temporary directory.
public enum TestFiles {
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifoldlab-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
