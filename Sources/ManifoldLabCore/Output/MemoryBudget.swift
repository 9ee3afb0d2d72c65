import Foundation
import Synchronization

/// The one place that decides how many bytes a run may allocate: the smallest of `--max-memory`,
/// the headroom under RLIMIT_AS and RLIMIT_DATA (the limit minus what the process already maps,
/// from /proc/self/statm), and the headroom under its cgroup's memory limit (cgroup v2
/// `memory.max`, v1 `memory.limit_in_bytes`, minus the process's resident size). Every memory check
/// compares with ``bytes``, so work that the kernel would refuse is refused first, in one line
/// (exit 71), instead of dying in an allocation with a backtrace.
public struct MemoryBudget: Sendable, Equatable {
    /// Where the binding limit comes from, as the error message names it.
    public enum Source: Sendable, Equatable {
        case option, addressSpace, dataSegment, cgroup

        /// The limit as a message names it.
        public var name: String {
            switch self {
            case .option: return "\(parameter: "max_memory")"
            case .addressSpace: return "the process's address-space limit (RLIMIT_AS, ulimit -v)"
            case .dataSegment: return "the process's data limit (RLIMIT_DATA, ulimit -d)"
            case .cgroup: return "its cgroup's memory limit"
            }
        }
    }

    public let bytes: Int
    public let source: Source

    public init(bytes: Int, source: Source) {
        self.bytes = bytes
        self.source = source
    }

    /// The process's limits now, read from the kernel (statm, getrlimit, /proc/self/cgroup).
    public struct Limits: Sendable, Equatable {
        /// Soft RLIMIT_AS and RLIMIT_DATA in bytes; nil when unlimited.
        public var addressSpace: Int?
        public var dataSegment: Int?
        /// The cgroup's memory limit in bytes; nil when none.
        public var cgroup: Int?
        /// What the process already uses: mapped (virtual) size, data + stack, resident size.
        public var usage: ProcessMemory

        public init(addressSpace: Int?, dataSegment: Int?, cgroup: Int?, usage: ProcessMemory) {
            self.addressSpace = addressSpace
            self.dataSegment = dataSegment
            self.cgroup = cgroup
            self.usage = usage
        }

        public static func current() -> Limits {
            Limits(addressSpace: softLimit(__rlimit_resource_t(RLIMIT_AS.rawValue)),
                   dataSegment: softLimit(__rlimit_resource_t(RLIMIT_DATA.rawValue)),
                   cgroup: CgroupMemory.currentLimit(), usage: ProcessMemory.current())
        }

        private static func softLimit(_ resource: __rlimit_resource_t) -> Int? {
            var limit = rlimit()
            guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
            return Int(clamping: limit.rlim_cur)
        }
    }

    /// A share of each kernel headroom is kept back for what the estimates leave out (the runtime,
    /// thread stacks, buffers beside the main arrays).
    static let reserve = 64 << 20

    /// The smallest of `requested` (the `--max-memory` bytes) and the headrooms under `limits`.
    public static func effective(requested: Int, limits: Limits = .current()) -> MemoryBudget {
        var budget = MemoryBudget(bytes: requested, source: .option)
        func consider(_ limit: Int?, used: Int, _ source: Source) {
            guard let limit else { return }
            let headroom = max(limit - used - reserve, 0)
            if headroom < budget.bytes { budget = MemoryBudget(bytes: headroom, source: source) }
        }
        consider(limits.addressSpace, used: limits.usage.virtual, .addressSpace)
        consider(limits.dataSegment, used: limits.usage.data, .dataSegment)
        consider(limits.cgroup, used: limits.usage.resident, .cgroup)
        recent.withLock { $0[budget.bytes] = budget.source }
        return budget
    }

    /// Budgets handed out in this process, by their byte count, so that a ``ManifoldLabError/tooMuchMemory(needed:limit:what:)``
    /// raised anywhere (it carries only the number) can say which limit it met.
    private static let recent = Mutex<[Int: Source]>([:])

    /// The source of a limit handed out by ``effective(requested:limits:)``, if it was one.
    public static func source(ofLimit bytes: Int) -> Source? { recent.withLock { $0[bytes] } }

    /// Throws ``ManifoldLabError/tooMuchMemory(needed:limit:what:)`` when `count` × `bytesEach`
    /// (overflow-safe) exceeds `limit`.
    public static func check(count: Int, bytesEach: Int, limit: Int, what: String) throws(ManifoldLabError) {
        let (needed, overflow) = count.multipliedReportingOverflow(by: bytesEach)
        if overflow || needed > limit { throw .tooMuchMemory(needed: overflow ? Int.max : needed, limit: limit, what: what) }
    }
}

/// The process's memory use from `/proc/self/statm` (pages: size resident shared text lib data dt).
public struct ProcessMemory: Sendable, Equatable {
    public var virtual: Int
    public var resident: Int
    public var data: Int

    public init(virtual: Int, resident: Int, data: Int) {
        self.virtual = virtual
        self.resident = resident
        self.data = data
    }

    /// Parses statm's text; nil when it does not have its seven numbers.
    public static func parse(statm text: String, pageSize: Int) -> ProcessMemory? {
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard fields.count >= 6 else { return nil }
        return ProcessMemory(virtual: fields[0] * pageSize, resident: fields[1] * pageSize, data: fields[5] * pageSize)
    }

    public static func current() -> ProcessMemory {
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        return parse(statm: text, pageSize: Int(sysconf(Int32(_SC_PAGESIZE)))) ?? ProcessMemory(virtual: 0, resident: 0, data: 0)
    }
}

/// The memory limit of the cgroup the process runs in (v2 or v1), and of its ancestors: the
/// smallest one applies.
public enum CgroupMemory {
    /// v1 writes "no limit" as a huge number (2⁶³ rounded down to a page); above this is none.
    static let unlimitedAbove = 1 << 60

    /// A limit file's text in bytes: "max" (v2) or a huge v1 value is no limit (nil).
    public static func parseLimit(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed != "max", let value = Int(trimmed), value >= 0, value < unlimitedAbove else { return nil }
        return value
    }

    /// The limit files to read for `/proc/self/cgroup`'s text, most specific first: the v2 group
    /// (line `0::/path`) under `/sys/fs/cgroup`, the v1 memory group (a line whose controllers
    /// include `memory`) under `/sys/fs/cgroup/memory`, each with its ancestors up to the root
    /// (inside a container the group's own path may not exist: its root is then the group).
    public static func limitFiles(procSelfCgroup text: String, root: String = "/sys/fs/cgroup") -> [String] {
        var files: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let (directory, name): (String, String)
            if parts[0] == "0" && parts[1].isEmpty {
                (directory, name) = (root, "memory.max")
            } else if parts[1].split(separator: ",").contains("memory") {
                (directory, name) = (root + "/memory", "memory.limit_in_bytes")
            } else { continue }
            var path = String(parts[2])
            while true {
                let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
                files.append(directory + trimmed + "/" + name)
                guard let slash = trimmed.lastIndex(of: "/") else { break }
                path = String(trimmed[..<slash])
                if path.isEmpty { files.append(directory + "/" + name); break }
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// The smallest limit among `files` that exist (read by `read`).
    public static func smallestLimit(files: [String], read: (String) -> String?) -> Int? {
        files.compactMap { read($0).flatMap(parseLimit) }.min()
    }

    public static func currentLimit() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        return smallestLimit(files: limitFiles(procSelfCgroup: text)) { try? String(contentsOfFile: $0, encoding: .utf8) }
    }
}
