import CGSL
import Synchronization

/// A GSL routine that reported a failure; the status code and GSL's own reason.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    public let routine: String
    public let status: Int32
    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        return "GSL \(routine) failed: \(reason) (status \(status))"
    }
}

/// Process-wide GSL set-up: GSL's default error handler calls `abort()`, so it is switched off
/// once and every status code is turned into a thrown ``GSLError`` by ``GSL/check(_:_:)``.
enum GSL {
    private static let installed = Atomic<Bool>(false)

    static func installErrorHandler() {
        if installed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            gsl_set_error_handler_off()
        }
    }

    static func check(_ status: Int32, _ routine: String) throws(GSLError) {
        if status != GSL_SUCCESS { throw GSLError(routine: routine, status: status) }
    }
}
