import Foundation

/// Runs the built `manifoldlab` binary (it sits beside the test bundle) and captures its output.
enum CommandLineRunner {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        var timedOut = false
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("manifoldlab")
    }

    /// Runs the binary; with `timeout`, kills it after that many seconds and marks the outcome.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let killer = timeout.map { seconds in
            DispatchWorkItem { if process.isRunning { process.terminate() } }
        }
        var killed = false
        if let killer, let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        }
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer?.cancel()
        killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM
        var outcome = Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                              stderr: String(decoding: errData, as: UTF8.self))
        outcome.timedOut = killed
        return outcome
    }

    /// A fresh temporary directory for output files.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifoldlab-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
