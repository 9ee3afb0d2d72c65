import ManifoldLabCore

/// Exit statuses follow BSD `sysexits.h`: 64 usage, 65 bad input data, 66 missing input,
/// 70 internal/numerical fault, 71 not enough memory (EX_OSERR: a limit of the option, the process
/// or its cgroup), 73 cannot create output; 130 interrupted (128 + SIGINT, also used for SIGTERM,
/// SIGHUP and SIGQUIT). The library reports a ``ManifoldLabError/Kind``; only the front end exits.
extension ManifoldLabError.Kind {
    var exitStatus: Int32 {
        switch self {
        case .usage: return 64
        case .badInput: return 65
        case .unreadableInput: return 66
        case .numerical: return 70
        case .resources: return 71
        case .unwritableOutput: return 73
        case .interrupted: return 130
        }
    }
}

extension ManifoldLabError {
    /// The process exit status for this error.
    var exitStatus: Int32 { kind.exitStatus }
}
