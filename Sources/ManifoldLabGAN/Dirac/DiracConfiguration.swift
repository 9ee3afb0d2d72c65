import Foundation
import ManifoldLabCore

/// How the two players take their gradient steps.
public enum DiracUpdate: String, CaseIterable, Codable, Sendable {
    /// Both players step from the same point: (θ, ψ) ← (θ, ψ) + h·v(θ, ψ).
    case simultaneous
    /// k discriminator steps, each using the latest ψ, then one generator step using the new ψ.
    case alternating

    public var summary: String {
        switch self {
        case .simultaneous: return "both step from the same point: (θ, ψ) += h·v(θ, ψ)"
        case .alternating: return "k = \(parameter: "d_steps") D steps, then one G step against the new ψ"
        }
    }
}

/// A point (θ, ψ) of the Dirac-GAN's parameter plane.
public struct DiracPoint: Sendable, Equatable, Codable {
    public var theta: Double
    public var psi: Double

    public init(theta: Double, psi: Double) {
        self.theta = theta
        self.psi = psi
    }

    /// The Euclidean distance to the equilibrium (0, 0), without overflow in θ² + ψ² (finite for
    /// every finite point below ≈ 1.3e308).
    public var distance: Double { hypot(theta, psi) }

    /// Reads "θ,ψ" (two finite decimals, spaces allowed around each).
    public static func parse(_ text: String, option: String = "start") throws(ManifoldLabError) -> DiracPoint {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let theta = Double(parts[0]), let psi = Double(parts[1]),
              theta.isFinite, psi.isFinite else {
            throw .invalidValue(parameter: option, value: text,
                                 allowed: "two finite numbers θ0,ψ0 such as 1,1 or -1,0.5")
        }
        return DiracPoint(theta: theta, psi: psi)
    }
}

/// Everything `manifoldlab dirac` needs, validated once by ``validate()`` before any work.
public struct DiracConfiguration: Sendable, Equatable, Codable {
    public var loss: DiracLoss
    public var update: DiracUpdate
    /// k ≥ 1 discriminator steps per generator step (alternating updates only).
    public var discriminatorSteps: Int
    /// The learning rate h > 0 of both players (`lr`: the step of plain gradient descent).
    public var learningRate: Double
    /// N generator steps.
    public var steps: Int
    public var start: DiracPoint
    /// γ ≥ 0: weight of the wgan-gp and r1 penalties (ignored by the other losses).
    public var gamma: Double
    /// σ ≥ 0: standard deviation of the instance noise (loss `noise`, where it must be > 0).
    public var noise: Double
    /// c > 0: the WGAN weight clip |ψ| ≤ c (loss `wgan` only).
    public var clip: Double

    /// At most this many generator steps (10⁷: a 160 MB trajectory, seconds of work).
    public static let maxSteps = 10_000_000
    /// At most this many discriminator steps per generator step.
    public static let maxDiscriminatorSteps = 1000
    /// At most this many discriminator updates in all (N·k).
    public static let maxWork = 100_000_000
    /// The largest σ of `noise`: the quadrature works in standardised units for every finite σ > 0,
    /// but the equilibrium's damping −σ²/2 and the eigenvalues of I + hJ (which square it) must stay finite.
    public static let maximumNoise = 1e50

    public init(loss: DiracLoss = .minimax, update: DiracUpdate = .simultaneous, discriminatorSteps: Int = 1,
                learningRate: Double = 0.1, steps: Int = 1000, start: DiracPoint = DiracPoint(theta: 1, psi: 1),
                gamma: Double = 1, noise: Double = 0.5, clip: Double = 1) {
        self.loss = loss
        self.update = update
        self.discriminatorSteps = discriminatorSteps
        self.learningRate = learningRate
        self.steps = steps
        self.start = start
        self.gamma = gamma
        self.noise = noise
        self.clip = clip
    }

    /// Refuses every value out of its domain with an error naming the option (exit status 64).
    public func validate() throws(ManifoldLabError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidValue(parameter: "lr", value: NumberFormat.echo(learningRate), allowed: "a finite learning rate (step size) h > 0")
        }
        guard (1...Self.maxSteps).contains(steps) else {
            throw .invalidValue(parameter: "steps", value: String(steps),
                                 allowed: "a number of generator steps N with 1 ≤ N ≤ \(Self.maxSteps)")
        }
        guard (1...Self.maxDiscriminatorSteps).contains(discriminatorSteps) else {
            throw .invalidValue(parameter: "d_steps", value: String(discriminatorSteps),
                                 allowed: "discriminator steps per generator step k with 1 ≤ k ≤ \(Self.maxDiscriminatorSteps)")
        }
        if update == .simultaneous && discriminatorSteps != 1 {
            throw .conflictingOptions("\(parameter: "d_steps") \(discriminatorSteps) needs \(parameter: "update") alternating: simultaneous updates take one step of each player")
        }
        guard steps * discriminatorSteps <= Self.maxWork else {
            throw .invalidValue(parameter: "steps", value: String(steps),
                                 allowed: "N·k ≤ \(Self.maxWork) discriminator updates in all (here k = \(discriminatorSteps))")
        }
        guard start.theta.isFinite, start.psi.isFinite else {
            throw .invalidValue(parameter: "start", value: "\(NumberFormat.echo(start.theta)),\(NumberFormat.echo(start.psi))",
                                 allowed: "two finite numbers θ0,ψ0")
        }
        guard gamma >= 0, gamma.isFinite else {
            throw .invalidValue(parameter: "gamma", value: NumberFormat.echo(gamma), allowed: "a finite penalty weight γ ≥ 0")
        }
        try DistributionPair.validate(noise: noise, maximum: Self.maximumNoise,
                                      why: "beyond it σ² and σ⁴ in the linearisation at the equilibrium overflow")
        if loss == .noise && noise == 0 {
            throw .invalidValue(parameter: "noise", value: "0", allowed: "σ > 0 for \(parameter: "loss") noise (σ = 0 is \(parameter: "loss") minimax)")
        }
        guard clip > 0, clip.isFinite else {
            throw .invalidValue(parameter: "clip", value: NumberFormat.echo(clip), allowed: "a finite weight clip c > 0")
        }
    }
}

extension DiracLoss {
    /// The loss spelled `name`, or an error listing the names (exit status 64).
    public static func named(_ name: String) throws(ManifoldLabError) -> DiracLoss {
        guard let loss = DiracLoss(rawValue: name) else {
            throw .invalidValue(parameter: "loss", value: name,
                                 allowed: "one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return loss
    }
}

extension DiracUpdate {
    /// The update spelled `name`, or an error listing the names (exit status 64).
    public static func named(_ name: String) throws(ManifoldLabError) -> DiracUpdate {
        guard let update = DiracUpdate(rawValue: name) else {
            throw .invalidValue(parameter: "update", value: name,
                                 allowed: "one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return update
    }
}
