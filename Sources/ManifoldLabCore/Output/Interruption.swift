import Foundation
import Synchronization

/// SIGINT, SIGTERM, SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\\) turned into a flag that long
/// runs poll, so they stop cleanly instead of dying half-way. All four are handled alike and end
/// with exit status 130, the project's one status for "interrupted" (the message names the signal).
///
/// Two ways to stop:
/// - `install()` (`train-toy`, `vanish`): the flag is read between steps; the run stops after the
///   current step, writes complete files (marked interrupted) and exits 130.
/// - `install(stopAtCheckpoints: true)` (`js`, `kl`, `wasserstein`, `divergences`): commands that
///   print only when done. The long loops of the estimators call ``checkpoint()``; once a signal
///   has arrived the first checkpoint prints one line on stderr, removes the temporary files of
///   unfinished ``OutputFile``s and exits 130. Nothing was printed yet, so nothing is half-written.
///
/// Without `install` (other commands) the signals keep their default action, except SIGQUIT, which
/// ``installQuitAsTerminate()`` turns into SIGTERM's (end the process, no core, no crash backtrace
/// from the Swift runtime); ``checkpoint()`` is a no-op, as it is under `install()`: training stops
/// only between steps, never inside a diagnostic.
public enum Interruption {
    fileprivate static let signalReceived = Atomic<Int32>(0)
    private static let stopsAtCheckpoints = Atomic<Bool>(false)
    private static let temporaryFiles = Mutex<Set<String>>([])
    /// Set by the first thread that stops the process, so the message is written once even when
    /// several worker threads reach a checkpoint together.
    private static let stopping = Atomic<Bool>(false)

    /// The signals that stop a run cleanly.
    public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Routes SIGINT, SIGTERM, SIGHUP and SIGQUIT to the flag; with `stopAtCheckpoints`,
    /// ``checkpoint()`` exits.
    public static func install(stopAtCheckpoints: Bool = false) {
        stopsAtCheckpoints.store(stopAtCheckpoints, ordering: .relaxed)
        for signalNumber in handledSignals { signal(signalNumber, interruptionHandler) }
        // A parent may have started us with these signals blocked (some process launchers do).
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in handledSignals { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// For every command, at start: SIGQUIT ends the process as SIGTERM does (the Swift runtime
    /// would otherwise print a crash backtrace for it). ``install(stopAtCheckpoints:)`` later
    /// replaces this with the clean stop.
    public static func installQuitAsTerminate() {
        signal(SIGQUIT, quitAsTerminateHandler)
    }

    /// The name of the signal received so far ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"), or nil.
    public static var received: String? {
        switch signalReceived.load(ordering: .relaxed) {
        case 0: return nil
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        default: return "SIGTERM"
        }
    }

    /// A safe point in a long computation: when the command stops at checkpoints and a signal has
    /// arrived, prints `manifoldlab: error: interrupted by SIG…` and exits 130 at once. Costs two
    /// relaxed atomic loads otherwise; callable from any thread.
    @inline(__always)
    public static func checkpoint() {
        guard signalReceived.load(ordering: .relaxed) != 0, stopsAtCheckpoints.load(ordering: .relaxed) else { return }
        stopNow()
    }

    @inline(never)
    static func stopNow() -> Never {
        guard stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            while true { sleep(1) }  // another thread is writing the message and ending the process
        }
        let message = "manifoldlab: error: \(ManifoldLabError.cancelled(signal: received ?? "a signal").description)\n"
        temporaryFiles.withLock { paths in for path in paths { unlink(path) } }
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        // _exit, not exit: other threads may be inside an estimator; nothing is buffered.
        _exit(ManifoldLabError.cancelled(signal: "").exitStatus)
    }

    /// Temporary files of unfinished ``OutputFile``s, removed when a checkpoint stops the run.
    static func track(temporaryFile path: String) { temporaryFiles.withLock { _ = $0.insert(path) } }
    static func untrack(temporaryFile path: String) { temporaryFiles.withLock { _ = $0.remove(path) } }
}

/// Async-signal-safe: one atomic store (the first signal is the one reported).
private func interruptionHandler(_ signal: Int32) {
    _ = Interruption.signalReceived.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
}

/// Async-signal-safe: sends SIGTERM (default action: end the process) to this process.
private func quitAsTerminateHandler(_ signal: Int32) {
    kill(getpid(), SIGTERM)
}
