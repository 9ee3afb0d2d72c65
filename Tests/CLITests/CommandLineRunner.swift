import Foundation
import Synchronization
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

/// Runs the built `manifoldlab` binary (it sits beside the test bundle) and captures its output.
enum CommandLineRunner {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        /// The timeout expired and the process was killed (SIGKILL).
        var timedOut = false
        /// The process died of a signal (a crash: SIGSEGV, SIGILL from a Swift trap, SIGABRT, …)
        /// rather than exiting; `status` is then the signal number.
        var signalled = false
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("manifoldlab")
    }

    /// End-to-end tests fail, never skip, when the binary is missing.
    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "\(CommandLineRunner.binary.path) is not built: `make test` builds it before the tests" }
    }

    static func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw MissingBinary() }
    }

    /// Runs the binary; with `timeout`, kills it (SIGKILL: SIGTERM may be handled) after that many
    /// seconds and marks the outcome. The timeout only guards against hangs; no test asserts a duration.
    /// `executable` replaces the binary (`/bin/sh` for a pipeline that runs it).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil,
                    directory: URL? = nil, executable: URL? = nil) throws -> Outcome {
        try requireBinary()
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try launchLock.withLock { _ in try process.run() }
        let killed = Atomic<Bool>(false)
        let killer = timeout.map { _ in
            DispatchWorkItem {
                if process.isRunning {
                    killed.store(true, ordering: .relaxed)
                    kill(process.processIdentifier, SIGKILL)
                }
            }
        }
        if let killer, let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        }
        // Read both pipes before waiting so a large output cannot block the child: stderr on
        // another thread, so a child that fills the stderr pipe cannot block either.
        let errData = Mutex<Data>(Data())
        let errDone = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            let data = readAll(errHandle)
            errData.withLock { $0 = data }
            errDone.signal()
        }
        let outData = readAll(out.fileHandleForReading)
        errDone.wait()
        process.waitUntilExit()
        killer?.cancel()
        var outcome = Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                              stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
        outcome.timedOut = killed.load(ordering: .relaxed)
        outcome.signalled = process.terminationReason == .uncaughtSignal
        return outcome
    }

    /// Foundation's `Process.run()` crashed now and then (a memmove fault inside it) when the
    /// property test's nine subcommands launched children from parallel threads: launches take
    /// turns; the children still run in parallel.
    static let launchLock = Mutex<Void>(())

    /// Everything until end of file, retrying reads that a signal interrupts (`readDataToEndOfFile`
    /// traps on EINTR: "Interrupted system call" stopped a fuzz run).
    static func readAll(_ handle: FileHandle) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let descriptor = handle.fileDescriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
            if count < 0 && errno == EINTR { continue }
            return data
        }
    }

    /// Runs the binary, sends `signal` once its SIGINT/SIGTERM handlers are installed (and `delay`
    /// seconds more), and returns how it ended. A run that ignores the signal is killed after 60 s
    /// and marked `timedOut` (no test waits longer; none asserts a duration).
    static func interrupt(_ arguments: [String], with signal: Int32, after delay: TimeInterval = 0) throws -> Outcome {
        try requireBinary()
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try launchLock.withLock { _ in try process.run() }
        for _ in 0..<600 where process.isRunning && !catchesInterrupts(process.processIdentifier) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, signal)
        for _ in 0..<600 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        let ignored = process.isRunning
        if ignored { kill(process.processIdentifier, SIGKILL) }
        let stdout = String(decoding: readAll(out.fileHandleForReading), as: UTF8.self)
        let stderr = String(decoding: readAll(err.fileHandleForReading), as: UTF8.self)
        process.waitUntilExit()
        var outcome = Outcome(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        outcome.timedOut = ignored
        outcome.signalled = process.terminationReason == .uncaughtSignal
        return outcome
    }

    /// Whether `pid` has handlers for both SIGINT and SIGTERM (its `SigCgt` mask in /proc), i.e. it
    /// has passed the start-up re-exec and installed ``Interruption``: signalling before that would
    /// test the default action, not the program.
    private static func catchesInterrupts(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (SIGINT - 1)) != 0 && mask & (1 << (SIGTERM - 1)) != 0
    }

    /// A fresh temporary directory for output files.
    static func temporaryDirectory() -> URL { TestFiles.temporaryDirectory() }
}
