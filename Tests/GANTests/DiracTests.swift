import CGSL
import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// The logistic f(t) = −log(1 + e^−t) at 0, written out here rather than taken from the library.
private let slope = 0.5        // f′(0)
private let curvature = -0.25  // f″(0)

/// (re, im) pairs, compared as unordered pairs.
private typealias Pair = (re: Double, im: Double)

/// The closed-form eigenvalues c/2 ± √(c²/4 − a²) of [[0, −a], [a, c]].
private func closedForm(damping c: Double, coupling a: Double) -> [Pair] {
    let discriminant = c * c / 4 - a * a
    if discriminant >= 0 {
        return [(c / 2 + discriminant.squareRoot(), 0), (c / 2 - discriminant.squareRoot(), 0)]
    }
    return [(c / 2, (-discriminant).squareRoot()), (c / 2, -(-discriminant).squareRoot())]
}

/// The largest distance between the computed eigenvalues and the expected ones, matched as sets.
private func mismatch(_ computed: [Matrix2x2.Eigenvalue], _ expected: [Pair]) -> Double {
    func d(_ z: Matrix2x2.Eigenvalue, _ e: Pair) -> Double { hypot(z.real - e.re, z.imaginary - e.im) }
    let straight = max(d(computed[0], expected[0]), d(computed[1], expected[1]))
    let crossed = max(d(computed[0], expected[1]), d(computed[1], expected[0]))
    return min(straight, crossed)
}

/// Eigenvalues of a 2×2 matrix by GSL's general nonsymmetric solver: an algorithm independent of
/// the library's trace/determinant formula.
private func gslEigenvalues(_ m: Matrix2x2) -> [Matrix2x2.Eigenvalue] {
    var entries = [m.a, m.b, m.c, m.d]
    var values = [Double](repeating: 0, count: 4)
    let workspace = gsl_eigen_nonsymm_alloc(2)!
    defer { gsl_eigen_nonsymm_free(workspace) }
    entries.withUnsafeMutableBufferPointer { e in
        values.withUnsafeMutableBufferPointer { v in
            var matrix = gsl_matrix_view_array(e.baseAddress, 2, 2)
            var eval = gsl_vector_complex_view_array(v.baseAddress, 2)
            _ = gsl_eigen_nonsymm(&matrix.matrix, &eval.vector, workspace)
        }
    }
    return [Matrix2x2.Eigenvalue(values[0], values[1]), Matrix2x2.Eigenvalue(values[2], values[3])]
}

/// The Jacobian of v by Richardson-extrapolated central differences of the field itself.
private func finiteDifferenceJacobian(_ game: DiracGAN, theta: Double, psi: Double, step δ: Double = 1e-3) -> Matrix2x2 {
    func central(_ δ: Double) -> Matrix2x2 {
        let tp = game.vectorField(theta: theta + δ, psi: psi), tm = game.vectorField(theta: theta - δ, psi: psi)
        let pp = game.vectorField(theta: theta, psi: psi + δ), pm = game.vectorField(theta: theta, psi: psi - δ)
        return Matrix2x2((tp.theta - tm.theta) / (2 * δ), (pp.theta - pm.theta) / (2 * δ),
                         (tp.psi - tm.psi) / (2 * δ), (pp.psi - pm.psi) / (2 * δ))
    }
    // (4·D(δ/2) − D(δ))/3 cancels the δ² term of the central difference.
    return (4.0 / 3.0) * central(δ / 2) + (-1.0 / 3.0) * central(δ)
}

private func maxDifference(_ m: Matrix2x2, _ n: Matrix2x2) -> Double {
    max(abs(m.a - n.a), abs(m.b - n.b), abs(m.c - n.c), abs(m.d - n.d))
}

@Suite("Dirac-GAN: quadrature, vector field and its exact derivative")
struct DiracFieldTests {
    @Test("Gauss–Hermite reproduces the Gaussian moments E[εᵏ] = (k−1)!!·σᵏ", arguments: [0.1, 0.5, 2.0])
    func moments(sigma: Double) throws {
        let q = try GaussHermite(sigma: sigma)
        let s2 = sigma * sigma
        #expect(abs(q.expectation { _ in 1 } - 1) < 1e-14)
        #expect(abs(q.expectation { $0 }) < 1e-14 * sigma)
        #expect(abs(q.expectation { $0 * $0 } / s2 - 1) < 1e-12)
        #expect(abs(q.expectation { pow($0, 4) } / (3 * s2 * s2) - 1) < 1e-12)
        #expect(abs(q.expectation { pow($0, 6) } / (15 * s2 * s2 * s2) - 1) < 1e-12)
    }

    @Test("the instance-noise field agrees with a fine trapezoid rule over the Gaussian density")
    func noiseFieldByTrapezoid() throws {
        let sigma = 0.7
        let game = try DiracGAN(loss: .noise, sigma: sigma)
        // ∫ g(ε) φ(ε) dε by the trapezoid rule on [−12σ, 12σ]: exponentially accurate for smooth g.
        func expectation(_ g: (Double) -> Double) -> Double {
            let n = 4000, a = -12 * sigma, width = 24 * sigma / Double(n)
            var sum = 0.0
            for i in 0...n {
                let e = a + Double(i) * width
                let density = exp(-e * e / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
                sum += (i == 0 || i == n ? 0.5 : 1) * g(e) * density
            }
            return sum * width
        }
        func fPrime(_ t: Double) -> Double { 1 / (1 + exp(t)) }
        for (theta, psi) in [(0.3, -0.8), (1.0, 1.0), (-2.0, 0.5), (0.0, 1.5)] {
            let v = game.vectorField(theta: theta, psi: psi)
            let expectedTheta = -psi * expectation { fPrime(psi * (theta + $0)) }
            let expectedPsi = expectation { (theta + $0) * fPrime(psi * (theta + $0)) }
                - expectation { $0 * fPrime(-psi * $0) }
            #expect(abs(v.theta - expectedTheta) < 1e-10)
            #expect(abs(v.psi - expectedPsi) < 1e-10)
        }
    }

    @Test("the exact Jacobian is the derivative of the vector field (finite differences, off the equilibrium)",
          arguments: DiracLoss.allCases)
    func jacobianIsDerivative(loss: DiracLoss) throws {
        let game = try DiracGAN(loss: loss, gamma: 1.3, sigma: 0.6)
        for (theta, psi) in [(0.4, 0.7), (-1.2, 0.3), (2.0, -1.5), (0.1, -0.05)] {
            let exact = game.jacobian(theta: theta, psi: psi)
            let numeric = finiteDifferenceJacobian(game, theta: theta, psi: psi, step: 1e-3)
            #expect(maxDifference(exact, numeric) < 1e-9, "\(loss) at (\(theta), \(psi))")
        }
    }

    @Test("the wgan-gp field jumps by 2γ across ψ = 0 and is not smooth there")
    func wganGPJump() throws {
        let game = try DiracGAN(loss: .wganGP, gamma: 1.5)
        let above = game.vectorField(theta: 0, psi: 1e-12).psi, below = game.vectorField(theta: 0, psi: -1e-12).psi
        #expect(abs(above - below - 3) < 1e-9)
        #expect(game.vectorField(theta: 0, psi: 0) == (0, 0))
        #expect(!game.isSmoothAtEquilibrium)
        #expect(try DiracGAN(loss: .r1).isSmoothAtEquilibrium)
    }
}

@Suite("Dirac-GAN: eigenvalues at the equilibrium against the closed forms")
struct DiracEigenvalueTests {
    @Test("unregularised GAN, non-saturating GAN and WGAN: ±f′(0)i", arguments: [DiracLoss.minimax, .nonsat, .wgan])
    func unregularised(loss: DiracLoss) throws {
        let coupling = loss == .wgan ? 1.0 : slope
        let game = try DiracGAN(loss: loss)
        let expected: [Pair] = [(0, coupling), (0, -coupling)]
        #expect(mismatch(game.equilibriumJacobian.eigenvalues, expected) < 1e-10)
        #expect(mismatch(game.equilibriumJacobian.eigenvalues, expected) == 0 || loss == .nonsat)
        #expect(mismatch(finiteDifferenceJacobian(game, theta: 0, psi: 0).eigenvalues, expected) < 1e-10)
    }

    @Test("R1: −γ/2 ± √(γ²/4 − f′(0)²), complex for γ < 2f′(0) = 1, real above",
          arguments: [0.0, 0.1, 0.5, 0.99, 1.0, 1.5, 3.0, 10.0])
    func r1(gamma: Double) throws {
        let game = try DiracGAN(loss: .r1, gamma: gamma)
        let expected = closedForm(damping: -gamma, coupling: slope)
        #expect(mismatch(game.equilibriumJacobian.eigenvalues, expected) < 1e-10)
        #expect(mismatch(finiteDifferenceJacobian(game, theta: 0, psi: 0).eigenvalues, expected) < 1e-10)
        #expect(mismatch(gslEigenvalues(game.equilibriumJacobian), expected) < 1e-7)  // γ = 1: a double root
    }

    @Test("instance noise: f″(0)σ² ± √(f″(0)²σ⁴ − f′(0)²), complex for σ < √2, real above",
          arguments: [0.05, 0.3, 0.5, 1.0, 1.4, 2.0, 3.0])
    func noise(sigma: Double) throws {
        let game = try DiracGAN(loss: .noise, sigma: sigma)
        let s2 = sigma * sigma
        let discriminant = curvature * curvature * s2 * s2 - slope * slope
        let expected: [Pair] = discriminant >= 0
            ? [(curvature * s2 + discriminant.squareRoot(), 0), (curvature * s2 - discriminant.squareRoot(), 0)]
            : [(curvature * s2, (-discriminant).squareRoot()), (curvature * s2, -(-discriminant).squareRoot())]
        #expect(mismatch(game.equilibriumJacobian.eigenvalues, expected) < 1e-10)
        #expect(mismatch(finiteDifferenceJacobian(game, theta: 0, psi: 0).eigenvalues, expected) < 1e-10)
        #expect(maxDifference(game.equilibriumJacobian, game.closedFormEquilibriumJacobian) < 1e-12)
    }

    @Test("every loss's exact equilibrium Jacobian equals its closed form", arguments: DiracLoss.allCases)
    func closedFormJacobian(loss: DiracLoss) throws {
        let game = try DiracGAN(loss: loss, gamma: 0.7, sigma: 0.8)
        #expect(maxDifference(game.equilibriumJacobian, game.closedFormEquilibriumJacobian) < 1e-12)
    }

    @Test("Matrix2x2 eigenvalues agree with GSL's nonsymmetric eigensolver")
    func eigenvaluesAgainstGSL() {
        for m in [Matrix2x2(1, 2, 3, 4), Matrix2x2(0, -1, 1, 0), Matrix2x2(2, 0, 0, -3), Matrix2x2(1e8, 1, -1, 1e-8),
                  Matrix2x2(0.3, -5, 0.2, -0.1)] {
            let ours = m.eigenvalues
            let theirs = gslEigenvalues(m)
            #expect(mismatch(ours, theirs.map { ($0.real, $0.imaginary) }) < 1e-9 * max(1, theirs.map(\.modulus).max()!))
        }
    }
}

@Suite("Dirac-GAN: the discrete updates")
struct DiracUpdateTests {
    static func run(_ loss: DiracLoss, _ update: DiracUpdate = .simultaneous, k: Int = 1, h: Double = 0.1,
                    steps: Int = 1000, start: DiracPoint = DiracPoint(theta: 1, psi: 1), gamma: Double = 1,
                    sigma: Double = 0.5, clip: Double = 1) throws -> DiracResult {
        try DiracConfiguration(loss: loss, update: update, discriminatorSteps: k, learningRate: h, steps: steps,
                               start: start, gamma: gamma, noise: sigma, clip: clip).run()
    }

    @Test("simultaneous GD on the GAN has spectral radius √(1 + h²f′(0)²) > 1", arguments: [0.01, 0.1, 0.5, 1.0, 2.0])
    func simultaneousRadius(h: Double) throws {
        let result = try Self.run(.minimax, h: h, steps: 1)
        #expect(abs(result.spectralRadius - (1 + h * h * slope * slope).squareRoot()) < 1e-12)
        let wgan = try Self.run(.wgan, h: h, steps: 1)
        #expect(abs(wgan.spectralRadius - (1 + h * h).squareRoot()) < 1e-12)
    }

    @Test("alternating GD on the GAN: |λ| = 1 while α = h·f′(0)·√k ≤ 2, else |1 − α²/2| + √((1 − α²/2)² − 1)",
          arguments: [(0.1, 1), (1.0, 4), (3.9, 1), (5.0, 1), (3.0, 2), (1.0, 30)])
    func alternatingRadius(h: Double, k: Int) throws {
        let result = try Self.run(.minimax, .alternating, k: k, h: h, steps: 1)
        let alpha = h * slope * Double(k).squareRoot()
        let b = 1 - alpha * alpha / 2
        let expected = alpha <= 2 ? 1 : abs(b) + (b * b - 1).squareRoot()
        #expect(abs(result.spectralRadius - expected) < 1e-9 * expected)
    }

    @Test("simultaneous GD with R1: spectral radius max |1 + hλ| over the closed-form λ", arguments: [0.3, 1.0, 4.0])
    func r1Radius(gamma: Double) throws {
        let h = 0.1
        let result = try Self.run(.r1, h: h, steps: 1, gamma: gamma)
        let expected = closedForm(damping: -gamma, coupling: slope).map { hypot(1 + h * $0.re, h * $0.im) }.max()!
        #expect(abs(result.spectralRadius - expected) < 1e-12)
        #expect(result.spectralRadius < 1)
    }

    @Test("simultaneous GAN spirals out: |z|² grows by exactly h²|v|² every step, since z·v = 0")
    func ganSpiralsOut() throws {
        let result = try Self.run(.minimax, steps: 500)
        let trajectory = try #require(result.trajectory)
        #expect(trajectory.count == 501)
        for t in 1..<trajectory.count { #expect(trajectory.distance(at: t) > trajectory.distance(at: t - 1)) }
        #expect(result.finalDistance > 1.5 * DiracPoint(theta: 1, psi: 1).distance)
        #expect(result.verdict == .spiralsOut && !result.converges)
    }

    @Test("alternating GAN circles: bounded, neither converging nor escaping")
    func ganAlternatingCircles() throws {
        let result = try Self.run(.minimax, .alternating, steps: 2000)
        let trajectory = try #require(result.trajectory)
        let start = trajectory.distance(at: 0)
        for t in 0..<trajectory.count {
            #expect(trajectory.distance(at: t) > 0.5 * start && trajectory.distance(at: t) < 2 * start)
        }
        #expect(result.verdict == .circles && !result.converges)
    }

    @Test("R1 converges, with complex (γ < 1) and real (γ > 1) eigenvalues", arguments: [0.5, 1.0, 3.0])
    func r1Converges(gamma: Double) throws {
        let result = try Self.run(.r1, steps: 3000, gamma: gamma)
        #expect(result.finalDistance < 1e-6)
        #expect(result.verdict == .converges && result.converges)
        let alternating = try Self.run(.r1, .alternating, k: 2, steps: 3000, gamma: gamma)
        #expect(alternating.finalDistance < 1e-6 && alternating.converges)
    }

    @Test("instance noise converges, at the rate its closed-form eigenvalues predict", arguments: [0.5, 1.0, 2.0])
    func noiseConverges(sigma: Double) throws {
        // Steps N for ρᴺ = 1e-8, with ρ = max |1 + hλ| over the closed-form λ: the distance ~ ρᴺ·|z₀| < 1e-6.
        let h = 0.2
        let lambdas = closedForm(damping: 2 * curvature * sigma * sigma, coupling: slope)
        let rho = lambdas.map { hypot(1 + h * $0.re, h * $0.im) }.max()!
        let steps = Int((log(1e-8) / log(rho)).rounded(.up))
        let result = try Self.run(.noise, h: h, steps: steps, sigma: sigma)
        #expect(abs(result.spectralRadius - rho) < 1e-12)
        #expect(result.finalDistance < 1e-6)
        // …and not much faster: ρ is the actual rate, not a loose bound.
        #expect(result.finalDistance > 1e-11)
        #expect(result.verdict == .converges)
    }

    @Test("WGAN with weight clipping does not converge, simultaneous or alternating; |ψ| ≤ c throughout")
    func wganDoesNotConverge() throws {
        for update in DiracUpdate.allCases {
            let result = try Self.run(.wgan, update, steps: 3000, clip: 0.5)
            let trajectory = try #require(result.trajectory)
            #expect(trajectory.psi.dropFirst().allSatisfy { abs($0) <= 0.5 })
            let tail = (trajectory.count - 200)..<trajectory.count
            #expect(tail.allSatisfy { trajectory.distance(at: $0) > 0.1 }, "\(update)")
            #expect(!result.converges)
        }
    }

    @Test("WGAN-GP does not converge: the penalty keeps |ψ| away from 0")
    func wganGPDoesNotConverge() throws {
        let result = try Self.run(.wganGP, steps: 3000)
        let trajectory = try #require(result.trajectory)
        let tail = (trajectory.count - 300)..<trajectory.count
        #expect(tail.allSatisfy { trajectory.distance(at: $0) > 0.1 })
        #expect(result.verdict == .notSmooth && !result.converges)
    }

    @Test("non-saturating GAN settles on a cycle of radius ≈ √(2h), where Euler's growth h²|v|² meets its damping")
    func nonsatCycle() throws {
        let h = 0.1
        let result = try Self.run(.nonsat, h: h, steps: 3000)
        let trajectory = try #require(result.trajectory)
        // One turn takes 2π/(h·f′(0)) ≈ 126 steps; average the distance over the last two turns.
        let tail = (trajectory.count - 252)..<trajectory.count
        let mean = tail.map { trajectory.distance(at: $0) }.reduce(0, +) / Double(tail.count)
        #expect(abs(mean / (2 * h).squareRoot() - 1) < 0.15)
        #expect(!result.converges)
    }

    @Test("iterates that overflow stop the run and are reported")
    func overflow() throws {
        let result = try Self.run(.r1, h: 30, steps: 1000)
        #expect(result.verdict == .overflows && result.stepsRun < 1000)
        let trajectory = try #require(result.trajectory)
        #expect(trajectory.count == result.stepsRun + 1)
        // Only finite iterates are kept (no file may hold an overflowed ±∞); the final one is the last of them.
        #expect(trajectory.theta.allSatisfy { $0.isFinite } && trajectory.psi.allSatisfy { $0.isFinite })
        #expect(result.final == DiracPoint(theta: trajectory.theta.last!, psi: trajectory.psi.last!))
    }

    @Test("a run from the equilibrium stays there")
    func atEquilibrium() throws {
        let result = try Self.run(.minimax, steps: 10, start: DiracPoint(theta: 0, psi: 0))
        #expect(result.finalDistance == 0 && result.verdict == .atEquilibrium)
    }

    @Test("the trajectory CSV has the header step,theta,psi,distance and N + 1 rows")
    func csv() throws {
        let result = try Self.run(.r1, steps: 3)
        var text = ""
        try result.trajectory!.writeCSV { text += $0 }
        let lines = text.split(separator: "\n")
        #expect(lines.first == "step,theta,psi,distance")
        #expect(lines.count == 5)
        #expect(lines[1] == "0,1.0,1.0,\(2.0.squareRoot())")
    }
}

@Suite("Dirac-GAN: bad input is refused before any work with exit status 64")
struct DiracValidationTests {
    static let base = DiracConfiguration()
    static func with(_ change: (inout DiracConfiguration) -> Void) -> DiracConfiguration {
        var c = base
        change(&c)
        return c
    }

    static let cases: [(String, DiracConfiguration, String)] = [
        ("h = 0", with { $0.learningRate = 0 }, "lr"),
        ("h < 0", with { $0.learningRate = -0.1 }, "lr"),
        ("h NaN", with { $0.learningRate = .nan }, "lr"),
        ("h ∞", with { $0.learningRate = .infinity }, "lr"),
        ("γ < 0", with { $0.gamma = -1 }, "gamma"),
        ("γ ∞", with { $0.gamma = .infinity }, "gamma"),
        ("σ < 0", with { $0.noise = -0.5 }, "noise"),
        ("σ NaN", with { $0.noise = .nan }, "noise"),
        ("σ = 0 with noise", with { $0.loss = .noise; $0.noise = 0 }, "noise"),
        ("clip = 0", with { $0.clip = 0 }, "clip"),
        ("clip < 0", with { $0.clip = -1 }, "clip"),
        ("θ0 ∞", with { $0.start = DiracPoint(theta: .infinity, psi: 1) }, "start"),
        ("ψ0 NaN", with { $0.start = DiracPoint(theta: 1, psi: .nan) }, "start"),
        ("N = 0", with { $0.steps = 0 }, "steps"),
        ("N too large", with { $0.steps = DiracConfiguration.maxSteps + 1 }, "steps"),
        ("k = 0", with { $0.update = .alternating; $0.discriminatorSteps = 0 }, "d_steps"),
        ("N·k too large", with { $0.update = .alternating; $0.steps = 1_000_000; $0.discriminatorSteps = 1000 }, "steps"),
    ]

    @Test("each bad value gets an invalidValue error naming its parameter", arguments: cases.map { ($0.0, $0.1, $0.2) })
    func refused(label: String, configuration: DiracConfiguration, option: String) {
        #expect {
            _ = try configuration.run()
        } throws: { error in
            guard let error = error as? ManifoldLabError, case let .invalidValue(named, _, _) = error else { return false }
            return named == option && error.kind == .usage
        }
    }

    @Test("--d-steps k > 1 needs alternating updates")
    func dStepsNeedAlternating() {
        let c = Self.with { $0.discriminatorSteps = 3 }
        #expect { try c.validate() } throws: { ($0 as? ManifoldLabError)?.kind == .usage }
        #expect(throws: Never.self) { try Self.with { $0.discriminatorSteps = 3; $0.update = .alternating }.validate() }
    }

    @Test("unknown loss and update names are refused with the list of names")
    func unknownNames() throws {
        #expect { _ = try DiracLoss.named("lsgan") } throws: {
            ($0 as? ManifoldLabError)?.kind == .usage && "\($0)".contains("wgan-gp")
        }
        #expect { _ = try DiracUpdate.named("extragradient") } throws: { ($0 as? ManifoldLabError)?.kind == .usage }
        #expect(try DiracLoss.named("wgan-gp") == .wganGP)
    }

    @Test("--start must be two finite numbers", arguments: ["1", "1,2,3", "a,b", "inf,0", "1,nan", "", ","])
    func badStart(text: String) {
        #expect { _ = try DiracPoint.parse(text) } throws: { ($0 as? ManifoldLabError)?.kind == .usage }
    }

    @Test("--start reads negative and spaced numbers")
    func goodStart() throws {
        #expect(try DiracPoint.parse("-1,1") == DiracPoint(theta: -1, psi: 1))
        #expect(try DiracPoint.parse(" 0.5 , -2e-3 ") == DiracPoint(theta: 0.5, psi: -0.002))
    }

    @Test("the --field grid needs R > 0 and 2 ≤ n ≤ 1000")
    func fieldGrid() {
        #expect(throws: ManifoldLabError.self) { try DiracGAN.validateField(extent: 0, count: 21) }
        #expect(throws: ManifoldLabError.self) { try DiracGAN.validateField(extent: .nan, count: 21) }
        #expect(throws: ManifoldLabError.self) { try DiracGAN.validateField(extent: 2, count: 1) }
        #expect(throws: Never.self) { try DiracGAN.validateField(extent: 2, count: 21) }
    }
}
