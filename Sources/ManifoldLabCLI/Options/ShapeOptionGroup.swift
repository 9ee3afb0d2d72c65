import Synchronization
import Foundation
import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

extension ManifoldKind: ExpressibleByArgument {
    /// The names as listed (in any case: `Helix` is `helix`).
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--modes`: a number of modes (ring, grid), or in `evaluate` file:PATH, the centres of a labelled
/// mixture (one per row, as a sample file).
enum ModesArgument: ExpressibleByArgument, Equatable {
    case count(Int)
    case file(String)

    init?(argument: String) {
        if argument.hasPrefix("file:") {
            guard argument.count > 5 else { return nil }
            self = .file(String(argument.dropFirst(5)))
        } else if let count = Int(argument) {
            self = .count(count)
        } else {
            return nil
        }
    }
}

/// Options that refine the named manifolds.
struct ShapeOptionGroup: ParsableArguments {
    @Option(help: "Intrinsic dimension k of `flat` (required) and `sphere` (S^k, default 2).")
    var intrinsic: Int?

    @Option(help: "Number of modes of `ring` (default 8) or `grid` (default 25 = 5×5; a square number), all counted. evaluate also takes file:PATH: the centres of the real data's modes, one per row, with --mode-std.")
    var modes: ModesArgument?

    @Option(name: .customLong("mode-std"), help: "Standard deviation of each mode of `ring` (default 0.01) and `grid` (default 0.05).")
    var modeStd: Double?

    @Option(help: "Standard deviation s of `gaussian` (default 1).")
    var scale: Double?

    /// `--modes` as a number of modes, or nil.
    var modeCount: Int? { if case .count(let count)? = modes { count } else { nil } }
    /// `--modes file:PATH`'s path, or nil.
    var modesFile: String? { if case .file(let path)? = modes { path } else { nil } }

    /// The options for the named manifolds (with `--modes file:PATH`, `--mode-std` belongs to the file's modes).
    var shape: ShapeOptions {
        ShapeOptions(intrinsic: intrinsic, modes: modeCount, modeStd: modesFile == nil ? modeStd : nil, scale: scale)
    }

    /// ``shape`` for a command whose `--modes` is a count only (every command but evaluate).
    func counted() throws(ManifoldLabError) -> ShapeOptions {
        if let modesFile {
            throw .invalidValue(parameter: "modes", value: "file:" + modesFile,
                                allowed: "a number of modes here (file:PATH, a mixture's centres, is for evaluate)")
        }
        return shape
    }

    /// The named manifolds refined by these options. `--modes` of `grid` counted modes per side
    /// until December 2026: a grid given `--modes` gets one note that it now counts them all.
    func specs(_ names: [(name: String, option: String)]) throws(ManifoldLabError) -> [ManifoldSpec] {
        let specs = try counted().specs(names)
        Self.noteGridModes(modeCount, specs)
        return specs
    }

    /// The note goes to stderr when the command succeeds (``PendingNotes``): a command that fails
    /// prints its one error line only.
    static func noteGridModes(_ modes: Int?, _ specs: [ManifoldSpec]) {
        guard let modes, specs.contains(where: { $0.kind == .grid }) else { return }
        let side = Int(Double(modes).squareRoot().rounded())
        guard side * side == modes else { return }  // not a square: refused, with its own message
        PendingNotes.add("--modes \(modes) counts all of grid's modes (a \(side)×\(side) grid); until December 2026 it counted modes per side")
    }
}

/// Where Q sits against P; see `Placement` for the exact construction.
struct PlacementOptionGroup: ParsableArguments {
    @Option(help: "θ: move Q by θ along a unit direction n orthogonal to P's span (to Q's too with --same-frame).")
    var offset: Double = 0

    @Option(help: "φ in degrees: turn Q about the origin in the plane of P's first axis and n, before the offset.")
    var angle: Double = 0

    @Flag(name: .customLong("same-frame"), help: "Put Q in P's frame (else Q gets a fresh random orthonormal frame).")
    var sameFrame = false

    var placement: Placement { Placement(offset: offset, angle: angle, sameFrame: sameFrame) }
}

/// Reproducibility and limits shared by every command.
struct RunOptionGroup: ParsableArguments {
    @Option(help: "Seed of every random stream (frames, points, noise each have their own stream split from it).")
    var seed: UInt64 = 0

    @Option(name: .customLong("max-memory"), help: "Refuse work whose main arrays would exceed this many MiB (at most the machine's memory).")
    var maxMemoryMiB: Int = 4096

    /// The limit in bytes: `--max-memory`, or less when the process's own limits (RLIMIT_AS,
    /// RLIMIT_DATA, its cgroup) leave less (``MemoryBudget``). Above the machine's memory the option
    /// would let through allocations that abort the process (and `<< 20` would overflow), so it is refused.
    func maxMemory() throws(ManifoldLabError) -> Int {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory >> 20)
        guard (1...max(physical, 4096)).contains(maxMemoryMiB) else {
            throw .invalidValue(parameter: "max_memory", value: String(maxMemoryMiB),
                                 allowed: "a limit in MiB from 1 to \(max(physical, 4096)) (this machine's memory)")
        }
        return MemoryBudget.effective(requested: maxMemoryMiB << 20).bytes
    }
}

/// Notes about how an option is read now, printed on stderr once the command has succeeded (after its
/// output), so that a failing command prints exactly one line, its error.
enum PendingNotes {
    private static let notes = Mutex<[String]>([])

    static func add(_ note: String) { notes.withLock { if !$0.contains(note) { $0.append(note) } } }

    static func flush() {
        for note in notes.withLock({ $0 }) { FileHandle.standardError.write(Data("manifoldlab: note: \(note)\n".utf8)) }
    }
}
