import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 13, JS/KL part: every printed number is right (against mathematics) or refused.
private func run(_ kind: DivergenceKind, _ p: DistributionSource, _ q: DistributionSource, dim: Int? = nil,
                 scale: Double? = nil, placement: Placement = Placement(), noise: Double = 0, n: Int? = nil,
                 method: DivergenceMethod = .auto, seed: UInt64 = 0) throws(ManifoldLabError) -> DivergenceReport {
    let request = DivergenceRequest(p: p, q: q, dimension: dim, shape: ShapeOptions(scale: scale), placement: placement,
                                    noise: noise, count: n, seed: Seed(seed), method: method)
    return try DivergenceEngine.run(request, kinds: [kind])[0]
}

private func named(_ kind: ManifoldKind) -> DistributionSource { .manifold(ManifoldSpec(kind: kind)) }

/// The error thrown, or nil.
private func failure(_ body: () throws -> Void) -> ManifoldLabError? {
    do { try body(); return nil } catch let error as ManifoldLabError { return error } catch { return nil }
}

/// Writes `points` as a sample file (17 significant digits: read back exactly).
private func file(_ points: Matrix<Double>, _ name: String) throws -> DistributionSource {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(getpid())-\(name).csv")
    var text = (1...points.columns).map { "x\($0)" }.joined(separator: ",") + "\n"
    for i in 0..<points.rows { text += (0..<points.columns).map { String(format: "%.17g", points[i, $0]) }.joined(separator: ",") + "\n" }
    try text.write(to: url, atomically: true, encoding: .utf8)
    return .file(path: url.path)
}

/// n points x = μ + A z, z ~ N(0, I): a random Gaussian "shape" in R^d (A and μ from the stream).
private func blob(_ n: Int, _ d: Int, _ rng: RandomStream, shift: Double) -> Matrix<Double> {
    let a = (0..<(d * d)).map { _ in rng.gaussian() * 0.7 }, mu = (0..<d).map { _ in shift + rng.gaussian() }
    var x = Matrix<Double>(rows: n, columns: d)
    for i in 0..<n {
        let z = (0..<d).map { _ in rng.gaussian() }
        for r in 0..<d { x[i, r] = mu[r] + (0..<d).reduce(0.0) { $0 + a[r * d + $1] * z[$1] } + z[r] }
    }
    return x
}

private func scaled(_ x: Matrix<Double>, _ s: Double) -> Matrix<Double> {
    Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map { $0 * s })
}

@Suite("JS and KL: right or refused (issue 13)")
struct TrustTests {
    // MARK: ranges

    @Test("a raw value within 2 s.e. of the range is clamped and says so; further out it is refused (exit 70)")
    func rangeRule() throws {
        let small = try DivergenceRange.enforce(DivergenceEstimate(.js, value: -0.001, stderr: 0.002, method: "knn"))
        #expect(small.value == 0)
        #expect(small.reason!.hasPrefix("clamped to 0: raw −0.001 ± 0.002"))
        let high = try DivergenceRange.enforce(DivergenceEstimate(.js, value: M_LN2 + 0.001, stderr: 0.001, method: "knn"))
        #expect(high.value == M_LN2 && high.reason!.hasPrefix("clamped to log 2"))
        let error = failure { _ = try DivergenceRange.enforce(DivergenceEstimate(.kl, value: -0.1, stderr: 0.01, method: "knn")) }
        #expect(error?.kind == .numerical)
        #expect(error?.description.contains("outside [0, ∞]") == true && error?.description.contains("method classifier") == true)
        #expect(failure { _ = try DivergenceRange.enforce(DivergenceEstimate(.js, value: 0.8, stderr: 0.01, method: "knn")) } != nil)
        #expect(try DivergenceRange.enforce(DivergenceEstimate(.kl, value: .infinity, method: "knn")).value == .infinity)
    }

    @Test("identical Gaussians in R^100 by explicit kNN (raw JS −0.2 before) are refused with exit 70, not printed")
    func identicalHighDimensionalKNN() {
        let error = failure { _ = try run(.js, named(.gaussian), named(.gaussian), dim: 100, placement: Placement(sameFrame: true), n: 1000, method: .knn) }
        #expect(error?.kind == .numerical)
        #expect(error?.description.contains("outside [0, log 2]") == true)
    }

    // MARK: auto picks a method that works

    @Test("uniform vs N(0, 0.01²I) in R^100 (kNN printed JS = −7.44 before): JS = log 2, KL(U‖N) by its closed form, KL(N‖U) = ∞")
    func uniformVersusGaussian() throws {
        let js = try run(.js, named(.uniform), named(.gaussian), dim: 100, scale: 0.01, n: 4096)
        #expect(js.method == "smoothed")
        // At a uniform point log q − log p ≈ 368 − |x|²/2s² < −10⁴; at a Gaussian point log q − log p > 300:
        // JS differs from log 2 by less than e^−300.
        #expect(abs(js.value - M_LN2) < 1e-12)
        let d = 100.0, s = 0.01
        // KL(U‖N(0, s²I)) = −H(U) + E|x|²/2s² + (D/2) log 2πs², E|x|² = D/12 for the unit cube.
        let closedForm = d / (24 * s * s) + d / 2 * log(2 * .pi * s * s)
        let kl = try run(.kl, named(.uniform), named(.gaussian), dim: 100, scale: 0.01, n: 4096)
        #expect(abs(kl.value - closedForm) < 3 * kl.stderr + 1e-6 * closedForm)
        #expect(try run(.kl, named(.gaussian), named(.uniform), dim: 100, scale: 0.01).value == .infinity)
    }

    @Test("shifted uniform cubes: JS = |θ| log 2 (the overlap has equal densities, the rest is disjoint)", arguments: [0.1, 0.5, 0.9])
    func shiftedCubes(theta: Double) throws {
        let js = try run(.js, named(.uniform), named(.uniform), dim: 3, placement: Placement(offset: theta, sameFrame: true), n: 4096)
        #expect(abs(js.value - theta * M_LN2) < 3 * js.stderr + 1e-4)
        #expect(try run(.kl, named(.uniform), named(.uniform), dim: 3, placement: Placement(offset: theta, sameFrame: true)).value == .infinity)
    }

    @Test("auto refuses kNN on Gaussian samples in R^100 (its neighbourhoods span the sample), pointing to --noise")
    func autoRefusesNonLocalKNN() {
        let rng = RandomStream(seed: Seed(4))
        let p = Matrix<Double>(rows: 1000, columns: 100, storage: (0..<100_000).map { _ in rng.gaussian() })
        let q = Matrix<Double>(rows: 1000, columns: 100, storage: (0..<100_000).map { _ in rng.gaussian() })
        let error = failure { _ = try KNNEstimator.estimate(.js, p: p, q: q, k: 5, requireLocality: true) }
        #expect(error?.kind == .usage)
        #expect(error?.description.contains("noise σ") == true)
        // In R^3 the same n is local enough and auto keeps it.
        let low = Matrix<Double>(rows: 1000, columns: 3, storage: Array(p.storage[0..<3000]))
        let other = Matrix<Double>(rows: 1000, columns: 3, storage: Array(q.storage[0..<3000]))
        #expect(failure { _ = try KNNEstimator.estimate(.kl, p: low, q: other, k: 5, requireLocality: true) } == nil)
    }

    // MARK: scale

    @Test("noisy parallel segments with θ = 2e-50, σ = 1e-50 (KL printed 0 before): KL = θ²/2σ² = 2, JS = JS₁(2)")
    func tinyOffsetAndNoise() throws {
        let placement = Placement(offset: 2e-50, sameFrame: true)
        let kl = try run(.kl, named(.line), named(.line), placement: placement, noise: 1e-50, n: 8192)
        #expect(abs(kl.value - 2) < 3 * kl.stderr + 1e-3)
        let js = try run(.js, named(.line), named(.line), placement: placement, noise: 1e-50, n: 8192)
        #expect(abs(js.value - Reference.gaussianShiftJS(2)) < 3 * js.stderr + 1e-3)
    }

    @Test("θ and σ scaled together by random s in 10^[−150, 150] and 1e±200 (σ² under/overflows): the smoothed KL and JS of parallel segments do not move (1e-9)")
    func offsetAndNoiseScaleFree() throws {
        let rng = RandomStream(seed: Seed(13))
        let reference = try run(.kl, named(.line), named(.line), dim: 4, placement: Placement(offset: 0.15, sameFrame: true), noise: 0.1, n: 1024)
        let referenceJS = try run(.js, named(.line), named(.line), dim: 4, placement: Placement(offset: 0.15, sameFrame: true), noise: 0.1, n: 1024)
        for s in (0..<4).map({ _ in pow(10, rng.uniform(-150, 150)) }) + [1e-200, 1e200] {
            let placement = Placement(offset: 0.15 * s, sameFrame: true)
            let kl = try run(.kl, named(.line), named(.line), dim: 4, placement: placement, noise: 0.1 * s, n: 1024)
            let js = try run(.js, named(.line), named(.line), dim: 4, placement: placement, noise: 0.1 * s, n: 1024)
            #expect(abs(kl.value - reference.value) < 1e-9, "s = \(s)")
            #expect(abs(js.value - referenceJS.value) < 1e-9, "s = \(s)")
        }
        #expect(abs(reference.value - 0.15 * 0.15 / 0.02) < 3 * reference.stderr + 1e-3)
    }

    @Test("Gaussians N(0, a²I) vs N(θn, a²I) + noise, all lengths × s ∈ 10^[−150, 150] and 1e±300: exact KL = θ²/2(a² + σ²)")
    func gaussianExactScaleFree() throws {
        let rng = RandomStream(seed: Seed(21))
        for s in (0..<6).map({ _ in pow(10, rng.uniform(-150, 150)) }) + [1e-300, 1e300] {
            let kl = try run(.kl, named(.gaussian), named(.gaussian), dim: 7, scale: 0.5 * s,
                             placement: Placement(offset: 0.8 * s, sameFrame: true), noise: 0.3 * s)
            #expect(kl.method == "exact")
            #expect(abs(kl.value - 0.64 / (2 * (0.25 + 0.09))) < 1e-12, "s = \(s)")
        }
    }

    @Test("sample files of random shapes scaled by s ∈ 10^[−150, 150] and 1e±300: kNN and smoothed KL/JS equal the unscaled ones (1e-9), the classifier within its s.e.")
    func samplesScaleFree() throws {
        let rng = RandomStream(seed: Seed(7))
        let scales = (0..<3).map { _ in pow(10, rng.uniform(-150, 150)) } + [1e-300, 1e300]
        for trial in 0..<2 {
            let d = 2 + trial
            let p = blob(600, d, rng, shift: 0), q = blob(600, d, rng, shift: 1.5)
            let (fp, fq) = (try file(p, "p\(trial)"), try file(q, "q\(trial)"))
            let base = try [(DivergenceKind.kl, DivergenceMethod.knn, 0.0), (.js, .knn, 0.0), (.kl, .smoothed, 0.3), (.js, .smoothed, 0.3)].map { kind, method, noise in
                (kind, method, noise, try run(kind, fp, fq, noise: noise, n: 512, method: method).value)
            }
            for s in scales {
                let (sp, sq) = (try file(scaled(p, s), "sp\(trial)"), try file(scaled(q, s), "sq\(trial)"))
                for (kind, method, noise, value) in base {
                    let moved = try run(kind, sp, sq, noise: noise * s, n: 512, method: method).value
                    #expect(abs(moved - value) < 1e-9 * max(1, abs(value)), "\(kind) \(method) s = \(s): \(moved) vs \(value)")
                }
            }
        }
        let p = blob(300, 2, rng, shift: 0), q = blob(300, 2, rng, shift: 2)
        let unit = try run(.js, try file(p, "cp"), try file(q, "cq"), n: 150, method: .classifier)
        let moved = try run(.js, try file(scaled(p, 1e-120), "csp"), try file(scaled(q, 1e-120), "csq"), n: 150, method: .classifier)
        #expect(abs(moved.value - unit.value) <= 2 * (unit.stderr * unit.stderr + moved.stderr * moved.stderr).squareRoot())
    }

    // MARK: singular samples

    @Test("planes turned by 10° (kNN printed KL = 1.8 before): KL = ∞, JS = log 2; identical planes: ≈ 0")
    func turnedPlanes() throws {
        let turned = Placement(angle: 10, sameFrame: true)
        let kl = try run(.kl, named(.plane), named(.plane), placement: turned, n: 2000, method: .knn)
        #expect(kl.value == .infinity && kl.reason.contains("do not cover"))
        let js = try run(.js, named(.plane), named(.plane), placement: turned, n: 2000, method: .knn)
        #expect(js.value == M_LN2 && js.reason.contains("mutually singular"))
        let same = Placement(sameFrame: true)
        let klSame = try run(.kl, named(.plane), named(.plane), placement: same, n: 2000, method: .knn)
        #expect(abs(klSame.value) <= 3 * klSame.stderr + 1e-9)
        let jsSame = try run(.js, named(.plane), named(.plane), placement: same, n: 2000, method: .knn)
        #expect(abs(jsSame.value) <= 3 * jsSame.stderr + 1e-9)
    }

    @Test("a segment inside a plane: supports of dimensions 1 and 2 are mutually singular both ways (KL = ∞, JS = log 2)")
    func nestedSupports() throws {
        let same = Placement(sameFrame: true)
        #expect(try run(.kl, named(.line), named(.plane), placement: same, n: 1000, method: .knn).value == .infinity)
        #expect(try run(.kl, named(.plane), named(.line), placement: same, n: 1000, method: .knn).value == .infinity)
        #expect(try run(.js, named(.line), named(.plane), placement: same, n: 1000, method: .knn).value == M_LN2)
    }

    @Test("curved surfaces in one frame meet in curves: sphere vs torus in R^10 is JS = log 2, KL = ∞ (the sphere reads as 3-dimensional at this n)")
    func sphereAndTorus() throws {
        let same = Placement(sameFrame: true)
        #expect(try run(.js, named(.sphere), named(.torus), dim: 10, placement: same, n: 2000).value == M_LN2)
        #expect(try run(.kl, named(.sphere), named(.torus), dim: 10, placement: same, n: 2000).value == .infinity)
    }

    @Test("line vs plane in R^3 at σ = 1e-60 … 1e-150 against unit lengths (NaN from GSL's log erfc past 1e60 before): JS = log 2")
    func tinyNoise() throws {
        for sigma in [1e-60, 1e-100, 1e-150] {
            let js = try run(.js, named(.line), named(.plane), dim: 3, noise: sigma, n: 1024)
            #expect(abs(js.value - M_LN2) <= 1e-12, "σ = \(sigma): \(js.value)")
        }
    }

    @Test("a segment and its translate by 1 across it, smoothed: KL = 1/(2σ²) exactly (the along-segment factor cancels) down to σ = 1e-150; at 1e-160 it is finite but beyond a double, and refused as such, never printed as ∞")
    func translatedSegmentKL() throws {
        let apart = Placement(offset: 1, sameFrame: true)
        for sigma in [1e-3, 1e-50, 1e-100, 1e-150] {
            let kl = try run(.kl, named(.line), named(.line), dim: 3, placement: apart, noise: sigma, n: 1024)
            let exact = 0.5 / sigma / sigma
            #expect(abs(kl.value - exact) <= 1e-6 * exact + 3 * kl.stderr, "σ = \(sigma): \(kl.value) vs \(exact)")
        }
        let request = DivergenceRequest(p: named(.line), q: named(.line), dimension: 3, placement: apart, noise: 1e-160, count: 1024)
        let report = try DivergenceEngine.runAll(request, kinds: [.kl])[0]
        #expect(report.refused && report.value.isNaN)
        #expect(report.reason.contains("beyond the largest double"), "\(report.reason)")
    }

    @Test("curved surfaces in R^3 (read full-dimensional by the local rank at n = 2000): sphere vs torus is JS = log 2, KL = ∞ both ways")
    func sphereAndTorusInThree() throws {
        let same = Placement(sameFrame: true)
        #expect(try run(.js, named(.sphere), named(.torus), dim: 3, placement: same, n: 2000, method: .knn).value == M_LN2)
        #expect(try run(.kl, named(.sphere), named(.torus), dim: 3, placement: same, n: 2000, method: .knn).value == .infinity)
        #expect(try run(.kl, named(.torus), named(.sphere), dim: 3, placement: same, n: 2000, method: .knn).value == .infinity)
        // One sphere against itself stays a finite estimate near 0 (in dimension 2).
        let itself = try run(.kl, named(.sphere), named(.sphere), dim: 3, placement: same, n: 2000, method: .knn)
        #expect(itself.value.isFinite && abs(itself.value) <= 3 * itself.stderr + 0.05, "\(itself.value) ± \(itself.stderr)")
    }

    @Test("the likelihood dimension: 2 for a sphere and a torus in R^3; full-dimensional Gaussians and cubes keep their dimension D (read > D − ½ for D ≤ 4)")
    func likelihoodDimension() throws {
        let rng = RandomStream(seed: Seed(9))
        for kind in [ManifoldKind.sphere, .torus] {
            let points = try SampleRequest(manifold: ManifoldSpec(kind: kind), dimension: 3, count: 2000, seed: Seed(3)).run()
            let reading = try #require(LocalDimension.likelihood(points))
            #expect(abs(reading - 2) < 0.25, "\(kind): \(reading)")
            #expect(LocalDimension.reading(points) == 2, "\(kind)")
        }
        for d in [2, 3, 4, 5, 10, 64] {
            for n in [500, 5000] {
                let gaussian = Matrix<Double>(rows: n, columns: d, storage: (0..<n * d).map { _ in rng.gaussian() })
                let cube = Matrix<Double>(rows: n, columns: d, storage: (0..<n * d).map { _ in rng.uniform() })
                for (name, points) in [("gaussian", gaussian), ("cube", cube)] {
                    if d <= LocalDimension.likelihoodCheckLimit {
                        let reading = try #require(LocalDimension.likelihood(points))
                        #expect(reading > Double(d) - 0.5 && reading <= 1.15 * Double(d), "\(name) D = \(d), n = \(n): \(reading)")
                    }
                    #expect(LocalDimension.reading(points) == d, "\(name) D = \(d), n = \(n)")
                }
            }
        }
    }

    @Test("atoms: P made of 10 repeated points vs a continuous Q gives KL = ∞ and JS = log 2; atoms beside a continuous part make JS a refusal")
    func atoms() throws {
        let rng = RandomStream(seed: Seed(2))
        let q = Matrix<Double>(rows: 500, columns: 2, storage: (0..<1000).map { _ in rng.gaussian() })
        let centres = (0..<20).map { _ in rng.gaussian() }
        var atomic = Matrix<Double>(rows: 500, columns: 2)
        for i in 0..<500 {
            atomic[i, 0] = centres[2 * (i % 10)]
            atomic[i, 1] = centres[2 * (i % 10) + 1]
        }
        let kl = try KNNEstimator.estimate(.kl, p: atomic, q: q, k: 5)
        #expect(kl.value == .infinity && kl.reason!.contains("atoms"))
        #expect(try KNNEstimator.estimate(.js, p: atomic, q: q, k: 5).value == M_LN2)
        var mixed = q
        for i in 0..<100 { mixed[i + 400, 0] = centres[0]; mixed[i + 400, 1] = centres[1] }
        let other = Matrix<Double>(rows: 500, columns: 2, storage: (0..<1000).map { _ in rng.gaussian() })
        #expect(try KNNEstimator.estimate(.kl, p: mixed, q: other, k: 5).value == .infinity)
        #expect(failure { _ = try KNNEstimator.estimate(.js, p: mixed, q: other, k: 5) }?.kind == .usage)
    }
}
