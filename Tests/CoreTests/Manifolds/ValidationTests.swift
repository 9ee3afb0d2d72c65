import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Bad input is refused before any work, naming the option")
struct ValidationTests {
    static func request(_ kind: ManifoldKind = .line, dim: Int = 3, n: Int = 10, noise: Double = 0,
                        placement: Placement = Placement(), intrinsic: Int? = nil,
                        against: ManifoldSpec? = nil) -> SampleRequest {
        SampleRequest(manifold: ManifoldSpec(kind: kind, intrinsic: intrinsic), against: against, dimension: dim,
                      count: n, noise: noise, placement: placement)
    }

    static let cases: [(String, SampleRequest, String)] = [
        ("D < 1", request(dim: 0), "dim"),
        ("D below the manifold's minimum", request(.helix, dim: 2), "dim"),
        ("k > D", request(.flat, dim: 3, intrinsic: 4), "dim"),
        ("sphere S^k needs D ≥ k+1", request(.sphere, dim: 3, intrinsic: 3), "dim"),
        ("k < 1", request(.flat, intrinsic: 0), "intrinsic"),
        ("negative σ", request(noise: -0.1), "noise"),
        ("NaN σ", request(noise: .nan), "noise"),
        ("infinite σ", request(noise: .infinity), "noise"),
        ("n < 1", request(n: 0), "n"),
        ("θ not finite", request(placement: Placement(offset: .infinity), against: ManifoldSpec(kind: .line)), "offset"),
        ("φ not finite", request(placement: Placement(angle: .nan), against: ManifoldSpec(kind: .line)), "angle"),
    ]

    @Test("each bad value gets an invalidValue error naming its parameter", arguments: cases.map { ($0.0, $0.1, $0.2) })
    func refused(label: String, request: SampleRequest, option: String) {
        #expect {
            _ = try request.distribution()
        } throws: { error in
            guard case let .invalidValue(named, _, _) = error as? ManifoldLabError else { return false }
            return named == option && (error as! ManifoldLabError).kind == .usage
        }
    }

    @Test("unknown manifold names are refused with the list of names")
    func unknownName() {
        #expect(throws: ManifoldLabError.self) { try ManifoldSpec.named("klein-bottle") }
        do { _ = try ManifoldSpec.named("klein-bottle") } catch {
            #expect(error.description.contains("helix"))
        }
    }

    @Test("n·D beyond the memory limit is refused before allocating")
    func memory() {
        let huge = SampleRequest(manifold: ManifoldSpec(kind: .line), dimension: 1 << 19, count: 1 << 20)
        #expect {
            _ = try huge.distribution()
        } throws: { ($0 as? ManifoldLabError).map { if case .tooMuchMemory = $0 { true } else { false } } ?? false }
        let overflow = SampleRequest(manifold: ManifoldSpec(kind: .line), dimension: 1_000_000, count: Int.max / 2)
        #expect(throws: ManifoldLabError.self) { _ = try overflow.distribution() }
    }

    @Test("shape options that no named manifold takes, flat without k, and placement without --against are refused")
    func conflicts() {
        #expect(throws: ManifoldLabError.self) { _ = try ShapeOptions(modes: 3).specs([("line", "manifold")]) }
        #expect(throws: ManifoldLabError.self) { _ = try Self.request(.flat).distribution() }
        #expect(throws: ManifoldLabError.self) { _ = try Self.request(placement: Placement(offset: 1)).distribution() }
        #expect(throws: ManifoldLabError.self) {
            _ = try Self.request(.plane, dim: 2, placement: Placement(angle: 10, sameFrame: true), against: ManifoldSpec(kind: .plane)).distribution()
        }
    }

    @Test("an output path in a missing directory fails at once with exit status 73")
    func unwritable() {
        #expect {
            _ = try OutputFile(path: "/nonexistent-dir/points.csv")
        } throws: { ($0 as? ManifoldLabError)?.kind == .unwritableOutput }
    }
}
