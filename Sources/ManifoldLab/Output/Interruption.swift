import Foundation
import Synchronization

/// SIGINT and SIGTERM turned into a flag that long runs poll between steps, so they can stop
/// cleanly and write complete files (marked interrupted) instead of dying half-way.
///
/// Only commands that write run directories install it (`train-toy`, `vanish`); elsewhere the
/// signals keep their default action, and atomic writes leave no partial file behind.
public enum Interruption {
    fileprivate static let signalReceived = Atomic<Int32>(0)

    /// Routes SIGINT and SIGTERM to the flag.
    public static func install() {
        signal(SIGINT, interruptionHandler)
        signal(SIGTERM, interruptionHandler)
        // A parent may have started us with these signals blocked (some process launchers do).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The name of the signal received so far ("SIGINT", "SIGTERM"), or nil.
    public static var received: String? {
        switch signalReceived.load(ordering: .relaxed) {
        case 0: return nil
        case SIGINT: return "SIGINT"
        default: return "SIGTERM"
        }
    }
}

/// Async-signal-safe: one atomic store.
private func interruptionHandler(_ signal: Int32) {
    Interruption.signalReceived.store(signal, ordering: .relaxed)
}
