import Foundation
import ManifoldLabCore

/// The iterates (θₜ, ψₜ), t = 0…N, of one run (fewer when they overflowed: only finite iterates
/// are kept, so no file holds an overflowed ±∞).
public struct DiracTrajectory: Sendable, Equatable {
    public var theta: [Double] = []
    public var psi: [Double] = []

    public var count: Int { theta.count }

    public func distance(at step: Int) -> Double { DiracPoint(theta: theta[step], psi: psi[step]).distance }

    /// The CSV `step,theta,psi,distance`, written in chunks to `sink`.
    public func writeCSV(to sink: (String) throws(ManifoldLabError) -> Void) throws(ManifoldLabError) {
        var chunk = "step,theta,psi,distance\n"
        chunk.reserveCapacity(1 << 20)
        for t in 0..<count {
            chunk += "\(t),\(NumberFormat.text(theta[t])),\(NumberFormat.text(psi[t])),\(NumberFormat.text(distance(at: t)))\n"
            if chunk.utf8.count > 1 << 20 { try sink(chunk); chunk.removeAll(keepingCapacity: true) }
        }
        if !chunk.isEmpty { try sink(chunk) }
    }
}

/// What the linearisation and the run say about convergence to (0, 0).
public enum DiracVerdict: String, Sendable, Codable {
    /// Spectral radius < 1 and the run ended closer to (0, 0) than it started.
    case converges
    /// The run started at the equilibrium, where v = 0: nothing moves.
    case atEquilibrium = "at-equilibrium"
    /// Spectral radius > 1: (0, 0) repels the iterates, which spiral out.
    case spiralsOut = "spirals-out"
    /// Spectral radius 1 (to 12 digits): the iterates circle (0, 0) without approaching it.
    case circles
    /// The vector field is not differentiable at (0, 0) (wgan-gp), so no linearisation applies.
    case notSmooth = "not-smooth"
    /// Spectral radius < 1, but this run ended farther from (0, 0) than it started.
    case escapes
    /// The iterates left the range of Double.
    case overflows

    public var converges: Bool { self == .converges || self == .atEquilibrium }
}

/// The outcome of `manifoldlab dirac`: the run, the linearisation at (0, 0), and a verdict.
public struct DiracResult: Sendable {
    public let configuration: DiracConfiguration
    /// All finite iterates, when requested (``DiracConfiguration/run(recordTrajectory:)``); the
    /// iterate that overflowed is not kept.
    public let trajectory: DiracTrajectory?
    /// The last finite iterate, and how many generator steps led there (< N when the iterates
    /// overflowed: the run stops at the first non-finite iterate, step `stepsRun + 1`).
    public let final: DiracPoint
    public let stepsRun: Int
    /// ∂v/∂(θ, ψ) at (0, 0), differentiated exactly (one-sided for wgan-gp).
    public let jacobian: Matrix2x2
    /// Its eigenvalues: the continuous dynamics θ̇, ψ̇ = v near (0, 0).
    public let eigenvalues: [Matrix2x2.Eigenvalue]
    /// The Jacobian of one discrete update (θ, ψ) ↦ (θ′, ψ′) at (0, 0).
    public let updateJacobian: Matrix2x2
    /// max |λ| of ``updateJacobian``: < 1 contracts, > 1 expands, per generator step.
    public let spectralRadius: Double
    public let smoothAtEquilibrium: Bool
    public let verdict: DiracVerdict

    public var finalDistance: Double { final.distance }
    public var converges: Bool { verdict.converges }

    /// The verdict in words, with the numbers behind it.
    public var explanation: String {
        let c = configuration
        let rho = NumberFormat.text(spectralRadius)
        let from = Self.short(c.start.distance), to = Self.short(finalDistance)
        switch verdict {
        case .converges:
            return "converges: the update contracts by the spectral radius \(rho) < 1 per step near (0, 0); distance \(from) → \(to) in \(stepsRun) steps"
        case .atEquilibrium:
            return "converges: the run starts at the equilibrium (0, 0), where v = 0, and stays there"
        case .spiralsOut:
            let clipped = c.loss == .wgan ? " (the clip |ψ| ≤ \(NumberFormat.text(c.clip)) keeps ψ bounded, not convergent)" : ""
            return "does not converge: spectral radius \(rho) > 1, so (0, 0) repels nearby iterates, which spiral outwards\(clipped); distance \(from) → \(to)"
        case .circles:
            return "does not converge: spectral radius 1 (eigenvalues on the unit circle), so the iterates circle (0, 0) without approaching it; distance \(from) → \(to)"
        case .notSmooth:
            return "does not converge: the one-centred penalty's gradient γ·sgn(ψ)(|ψ| − 1) jumps by 2γ at ψ = 0 and pushes |ψ| towards 1, away from the equilibrium ψ = 0, whatever the one-sided Jacobian says; distance \(from) → \(to)"
        case .escapes:
            return "does not converge from this start: (0, 0) attracts nearby iterates (spectral radius \(rho) < 1), but this run ended farther out; distance \(from) → \(to)"
        case .overflows:
            return "does not converge: the iterates overflowed (beyond ±1.8e308) at step \(stepsRun + 1); the last finite one is shown"
        }
    }

    static func short(_ value: Double) -> String {
        NumberFormat.short(value)
    }
}

extension DiracConfiguration {
    /// The Jacobian of one discrete update at (0, 0), from the Jacobian J of v there.
    ///
    /// Simultaneous: I + hJ. Alternating: k linearised discriminator steps
    /// D = [[1, 0], [hJ₂₁, 1 + hJ₂₂]] then one generator step G = [[1 + hJ₁₁, hJ₁₂], [0, 1]]: G·Dᵏ.
    /// (The weight clip is inactive near ψ = 0 and does not enter.)
    public func updateJacobian(for j: Matrix2x2) -> Matrix2x2 {
        let h = learningRate
        switch update {
        case .simultaneous:
            return Matrix2x2.identity + h * j
        case .alternating:
            let discriminator = Matrix2x2(1, 0, h * j.c, 1 + h * j.d)
            let generator = Matrix2x2(1 + h * j.a, h * j.b, 0, 1)
            var m = Matrix2x2.identity
            for _ in 0..<discriminatorSteps { m = discriminator * m }
            return generator * m
        }
    }

    /// Validates, then iterates the exact gradient vector field N times from `start` and linearises
    /// the dynamics at (0, 0).
    ///
    /// - Parameter recordTrajectory: keep every iterate (16 bytes each) for the CSV.
    /// - Complexity: O(N·k) field evaluations; each costs O(1), or O(n) for `noise` (n quadrature nodes).
    public func run(recordTrajectory: Bool = true) throws -> DiracResult {
        try validate()
        if recordTrajectory {  // θ and ψ of every iterate, refused when the process's limits leave less
            try MemoryBudget.check(count: steps + 1, bytesEach: 16, limit: MemoryBudget.effective(requested: ByteCount.defaultLimit).bytes,
                                   what: "the trajectory of \(steps) steps")
        }
        let game = try DiracGAN(loss: loss, gamma: gamma, sigma: noise)
        let h = learningRate, clipsPsi = loss == .wgan
        var trajectory = DiracTrajectory()
        if recordTrajectory {
            trajectory.theta.reserveCapacity(steps + 1)
            trajectory.psi.reserveCapacity(steps + 1)
            trajectory.theta.append(start.theta)
            trajectory.psi.append(start.psi)
        }
        var theta = start.theta, psi = start.psi
        var stepsRun = 0
        var overflowed = false
        for _ in 0..<steps {
            let (lastTheta, lastPsi) = (theta, psi)
            switch update {
            case .simultaneous:
                let v = game.vectorField(theta: theta, psi: psi)
                theta += h * v.theta
                psi += h * v.psi
                if clipsPsi { psi = min(max(psi, -clip), clip) }
            case .alternating:
                for _ in 0..<discriminatorSteps {
                    psi += h * game.vectorField(theta: theta, psi: psi).psi
                    if clipsPsi { psi = min(max(psi, -clip), clip) }
                }
                theta += h * game.vectorField(theta: theta, psi: psi).theta
            }
            guard theta.isFinite && psi.isFinite else {
                (theta, psi, overflowed) = (lastTheta, lastPsi, true)
                break
            }
            stepsRun += 1
            if recordTrajectory {
                trajectory.theta.append(theta)
                trajectory.psi.append(psi)
            }
        }
        let final = DiracPoint(theta: theta, psi: psi)

        let jacobian = game.equilibriumJacobian
        let update = updateJacobian(for: jacobian)
        let rho = update.spectralRadius
        let verdict: DiracVerdict
        if start.distance == 0 {
            verdict = .atEquilibrium
        } else if overflowed {
            verdict = .overflows
        } else if !game.isSmoothAtEquilibrium {
            verdict = .notSmooth
        } else if abs(rho - 1) <= 1e-12 {
            verdict = .circles
        } else if rho > 1 {
            verdict = .spiralsOut
        } else {
            verdict = final.distance < start.distance ? .converges : .escapes
        }
        return DiracResult(configuration: self, trajectory: recordTrajectory ? trajectory : nil, final: final,
                           stepsRun: stepsRun, jacobian: jacobian, eigenvalues: jacobian.eigenvalues,
                           updateJacobian: update, spectralRadius: rho,
                           smoothAtEquilibrium: game.isSmoothAtEquilibrium, verdict: verdict)
    }
}
