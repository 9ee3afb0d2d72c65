import Foundation
import Synchronization

/// A request to stop, recorded by the front end (the command line's signal handlers) and polled
/// by the library: long runs read ``received`` between steps and stop cleanly; the long loops of
/// the estimators call ``checkpoint()``, which runs the front end's stop action once a stop was
/// requested and the front end asked for it (``stopAtCheckpoints(_:)``). The library itself
/// installs no handler, prints nothing and never exits: what a stop does belongs to the caller.
public enum Interruption {
    fileprivate static let signalReceived = Atomic<Int32>(0)
    private static let stopAction = Mutex<(@Sendable () -> Void)?>(nil)
    private static let temporaryFiles = Mutex<Set<String>>([])

    /// Records a stop request (the first one is kept). Async-signal-safe: one atomic exchange.
    public static func record(signal number: Int32) {
        _ = signalReceived.compareExchange(expected: 0, desired: number, ordering: .relaxed)
    }

    /// Checkpoints run `action` once a stop was requested (nil: checkpoints do nothing, and runs
    /// stop only where they poll ``received``). The action is expected not to return.
    public static func stopAtCheckpoints(_ action: (@Sendable () -> Void)?) {
        stopAction.withLock { $0 = action }
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

    /// A safe point in a long computation: once a stop was requested, runs the stop action (if
    /// any). Costs one relaxed atomic load otherwise; callable from any thread.
    @inline(__always)
    public static func checkpoint() {
        guard signalReceived.load(ordering: .relaxed) != 0 else { return }
        stopAction.withLock { $0 }?()
    }

    /// Removes the temporary files of unfinished ``OutputFile``s (for a stop action that ends the process).
    public static func removeTemporaryFiles() {
        temporaryFiles.withLock { paths in for path in paths { unlink(path) } }
    }

    static func track(temporaryFile path: String) { temporaryFiles.withLock { _ = $0.insert(path) } }
    static func untrack(temporaryFile path: String) { temporaryFiles.withLock { _ = $0.remove(path) } }
}
