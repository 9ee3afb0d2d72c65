import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// The one rule for numbers in every format: finite as the shortest decimal, ±∞ as "inf",
/// NaN never (empty CSV cell, JSON null).
@Suite("Numbers in every output")
struct OutputPolicyTests {
    private struct Values: Encodable {
        let finite: Double, infinite: Double, negative: Double, missing: Double
        let nested: [Double]
    }

    @Test("CSV cells: NaN is the empty cell, ±∞ is inf / -inf, finite values round-trip")
    func csvCells() {
        #expect(NumberFormat.text(Double.nan) == "")
        #expect(NumberFormat.text(Double.infinity) == "inf" && NumberFormat.text(-Double.infinity) == "-inf")
        #expect(Double(NumberFormat.text(0.1 + 0.2)) == 0.1 + 0.2)
        #expect(NumberFormat.echo(.nan) == "nan")
    }

    @Test("JSON: NaN becomes null, ±∞ the strings inf / -inf, and the text parses as RFC 8259 JSON")
    func json() throws {
        let value = Values(finite: 1.5, infinite: .infinity, negative: -.infinity, missing: .nan, nested: [.nan, 2])
        for text in [JSONOutput.line(value), JSONOutput.pretty(value)] {
            #expect(!text.contains("nan"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object["finite"] as? Double == 1.5)
            #expect(object["infinite"] as? String == "inf" && object["negative"] as? String == "-inf")
            #expect(object["missing"] is NSNull)
            #expect((object["nested"] as? [Any])?.first is NSNull)
        }
        #expect([1.0, .infinity, -.infinity, .nan].map(NumberFormat.json) == ["1.0", "\"inf\"", "\"-inf\"", "null"])
    }
}

@Suite("Memory budget: --max-memory, rlimits and the cgroup")
struct MemoryBudgetTests {
    private let usage = ProcessMemory(virtual: 600 << 20, resident: 100 << 20, data: 300 << 20)

    @Test("the smallest of --max-memory and each headroom (limit − use − reserve) wins, and says which")
    func smallestWins() {
        let none = MemoryBudget.Limits(addressSpace: nil, dataSegment: nil, cgroup: nil, usage: usage)
        #expect(MemoryBudget.effective(requested: 4 << 30, limits: none) == MemoryBudget(bytes: 4 << 30, source: .option))
        let address = MemoryBudget.Limits(addressSpace: 2 << 30, dataSegment: nil, cgroup: nil, usage: usage)
        #expect(MemoryBudget.effective(requested: 4 << 30, limits: address)
                == MemoryBudget(bytes: (2 << 30) - (600 << 20) - MemoryBudget.reserve, source: .addressSpace))
        let cgroup = MemoryBudget.Limits(addressSpace: 2 << 30, dataSegment: 3 << 30, cgroup: 1 << 30, usage: usage)
        #expect(MemoryBudget.effective(requested: 4 << 30, limits: cgroup)
                == MemoryBudget(bytes: (1 << 30) - (100 << 20) - MemoryBudget.reserve, source: .cgroup))
        #expect(MemoryBudget.effective(requested: 1 << 20, limits: cgroup).source == .option)
        // A limit already used up leaves nothing, never a negative budget.
        let full = MemoryBudget.Limits(addressSpace: 500 << 20, dataSegment: nil, cgroup: nil, usage: usage)
        #expect(MemoryBudget.effective(requested: 4 << 30, limits: full).bytes == 0)
    }

    @Test("a refusal is exit 71 (EX_OSERR) and names the limit that binds")
    func refusal() throws {
        let budget = MemoryBudget.effective(requested: 4 << 30, limits: .init(addressSpace: 1 << 30, dataSegment: nil, cgroup: nil, usage: usage))
        #expect(throws: ManifoldLabError.self) {
            try SampleRequest.validate(count: 100_000_000, dimension: 10, maxMemory: budget.bytes)
        }
        let error = ManifoldLabError.tooMuchMemory(needed: 8 << 30, limit: budget.bytes, what: "x")
        #expect(error.kind == .resources)
        #expect(error.description.contains("RLIMIT_AS"))
        #expect(ManifoldLabError.tooMuchMemory(needed: 8 << 30, limit: 12345, what: "x").description.contains("raise max_memory"))
    }

    @Test("cgroup limit files: v2 memory.max ('max' is none), v1 memory.limit_in_bytes (2⁶³-ish is none)")
    func cgroupLimits() {
        #expect(CgroupMemory.parseLimit("max\n") == nil)
        #expect(CgroupMemory.parseLimit("1073741824\n") == 1_073_741_824)
        #expect(CgroupMemory.parseLimit("9223372036854771712\n") == nil)
        #expect(CgroupMemory.parseLimit("garbage") == nil)
        #expect(CgroupMemory.limitFiles(procSelfCgroup: "0::/user.slice/job\n", root: "/cg")
                == ["/cg/user.slice/job/memory.max", "/cg/user.slice/memory.max", "/cg/memory.max"])
        #expect(CgroupMemory.limitFiles(procSelfCgroup: "0::/\n", root: "/cg") == ["/cg/memory.max"])
        let v1 = "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n"
        #expect(CgroupMemory.limitFiles(procSelfCgroup: v1, root: "/cg")
                == ["/cg/memory/process_api/abc/memory.limit_in_bytes", "/cg/memory/process_api/memory.limit_in_bytes",
                    "/cg/memory/memory.limit_in_bytes"])
        let files = ["/cg/user.slice/job/memory.max": "max\n", "/cg/user.slice/memory.max": "2147483648\n", "/cg/memory.max": "4294967296"]
        #expect(CgroupMemory.smallestLimit(files: CgroupMemory.limitFiles(procSelfCgroup: "0::/user.slice/job", root: "/cg")) { files[$0] }
                == 2_147_483_648)
        #expect(CgroupMemory.smallestLimit(files: ["/none"]) { _ in nil } == nil)
    }

    @Test("statm: size, resident and data pages times the page size")
    func statm() {
        #expect(ProcessMemory.parse(statm: "100 20 5 1 0 30 0\n", pageSize: 4096)
                == ProcessMemory(virtual: 100 * 4096, resident: 20 * 4096, data: 30 * 4096))
        #expect(ProcessMemory.parse(statm: "", pageSize: 4096) == nil)
        #expect(ProcessMemory.current().virtual > 0)
    }
}
