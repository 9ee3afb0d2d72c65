import Foundation
import Synchronization
import ManifoldLabCore

/// SIGINT, SIGTERM, SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\\) turned into the library's
/// stop request, so long runs stop cleanly instead of dying half-way. All four are handled alike
/// and end with exit status 130, the project's one status for "interrupted" (the message names
/// the signal).
///
/// Two ways to stop:
/// - `install()` (`train-toy`, `vanish`, `compare-techniques`): the runs read the request between
///   steps, stop after the current step, write complete files (marked interrupted) and exit 130.
/// - `install(stopAtCheckpoints: true)` (`sample`, `js`, `kl`, `wasserstein`, `divergences`):
///   commands that print only when done. The estimators' long loops call
///   `Interruption.checkpoint()`; the first one after a signal prints one line on stderr, removes
///   the temporary files of unfinished outputs and exits 130. Nothing is half-written.
///
/// Without `install` the signals keep their default action, except SIGQUIT, which
/// ``installQuitAsTerminate()`` turns into SIGTERM's (end the process, no core, no crash backtrace
/// from the Swift runtime).
enum Signals {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// Set by the first thread that stops the process, so the message is written once.
    private static let stopping = Atomic<Bool>(false)

    static func install(stopAtCheckpoints: Bool = false) {
        let action: (@Sendable () -> Void)? = stopAtCheckpoints ? { @Sendable () -> Void in Signals.stopNow() } : nil
        Interruption.stopAtCheckpoints(action)
        for signalNumber in handled { signal(signalNumber, recordSignal) }
        // A parent may have started us with these signals blocked (some process launchers do).
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in handled { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// For every command, at start: SIGQUIT ends the process as SIGTERM does.
    static func installQuitAsTerminate() {
        signal(SIGQUIT, quitAsTerminate)
    }

    /// One line on stderr, the temporary files removed, exit 130 — from any thread.
    static func stopNow() -> Never {
        guard stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            while true { sleep(1) }  // another thread is writing the message and ending the process
        }
        let error = ManifoldLabError.cancelled(signal: Interruption.received ?? "a signal")
        let message = "manifoldlab: error: \(error.description)\n"
        Interruption.removeTemporaryFiles()
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        // _exit, not exit: other threads may be inside an estimator; nothing is buffered.
        _exit(error.exitStatus)
    }
}

/// Async-signal-safe: one atomic store (the first signal is the one reported).
private func recordSignal(_ signal: Int32) {
    Interruption.record(signal: signal)
}

/// Async-signal-safe: sends SIGTERM (default action: end the process) to this process.
private func quitAsTerminate(_ signal: Int32) {
    kill(getpid(), SIGTERM)
}
