import Foundation
import ManifoldLabCore

/// The GAN objectives of the Dirac-GAN (Mescheder, Geiger & Nowozin 2018, "Which training methods
/// for GANs do actually converge?").
public enum DiracLoss: String, CaseIterable, Codable, Sendable {
    case minimax, nonsat, wgan
    case wganGP = "wgan-gp"
    case r1, noise

    /// One line for `--help` and the guide.
    public var summary: String {
        switch self {
        case .minimax: return "unregularised GAN, f(t) = −log(1 + e^−t)"
        case .nonsat: return "non-saturating GAN: G ascends f(−ψθ), not descends f(ψθ)"
        case .wgan: return "WGAN, f(t) = t, |ψ| clipped to \(parameter: "clip") after every D update"
        case .wganGP: return "WGAN with the one-centred penalty γ/2·(|ψ| − 1)² on D"
        case .r1: return "GAN with the zero-centred penalty γ/2·ψ² on D (R1)"
        case .noise: return "GAN with instance noise N(0, σ²) added to real and fake samples"
        }
    }

    /// f′(0): the coupling between θ and ψ at the equilibrium (½ for the logistic f, 1 for f(t) = t).
    public var slopeAtZero: Double { usesIdentity ? 1 : 0.5 }

    /// Whether f(t) = t (the Wasserstein losses) rather than the logistic f(t) = −log(1 + e^−t).
    var usesIdentity: Bool { self == .wgan || self == .wganGP }
}

/// The logistic f(t) = −log(1 + e^−t) = log sigmoid(t) of the standard GAN and its derivatives.
public enum LogisticLoss {
    /// sigmoid(t) = 1/(1 + e^−t), without overflow for either sign of t.
    @inline(__always) public static func sigmoid(_ t: Double) -> Double {
        if t >= 0 { return 1 / (1 + exp(-t)) }
        let e = exp(t)
        return e / (1 + e)
    }

    /// f(t) = −log(1 + e^−t).
    @inline(__always) public static func value(_ t: Double) -> Double {
        t >= 0 ? -log1p(exp(-t)) : t - log1p(exp(t))
    }

    /// f′(t) = sigmoid(−t); f′(0) = ½.
    @inline(__always) public static func derivative(_ t: Double) -> Double { sigmoid(-t) }

    /// f″(t) = −sigmoid(t)·sigmoid(−t); f″(0) = −¼.
    @inline(__always) public static func secondDerivative(_ t: Double) -> Double { -sigmoid(t) * sigmoid(-t) }
}

/// The Dirac-GAN: data δ₀, generator δ_θ, linear discriminator D_ψ(x) = ψx, and
/// L(θ, ψ) = f(ψθ) + f(0), which D ascends and G descends. Its unique equilibrium is (θ, ψ) = (0, 0).
///
/// The gradient vector field is v(θ, ψ) = (−∂L_G/∂θ, ∂L_D/∂ψ); training follows it with step h.
/// For every loss the Jacobian of v at (0, 0) is [[0, −f′(0)], [f′(0), c]] with c = 0 (minimax, nonsat,
/// wgan), −γ (r1), 2f″(0)σ² (noise): purely imaginary eigenvalues ±f′(0)i unless a regulariser adds
/// the damping c < 0, which gives c/2 ± √(c²/4 − f′(0)²).
public struct DiracGAN: Sendable {
    public let loss: DiracLoss
    /// γ ≥ 0, the weight of the wgan-gp and r1 penalties.
    public let gamma: Double
    /// Expectations over the instance noise ε ~ N(0, σ²) (loss `noise` only).
    public let quadrature: GaussHermite?

    /// - Parameters:
    ///   - quadratureNodes: Gauss–Hermite nodes for `noise` (see ``GaussHermite/defaultCount``).
    public init(loss: DiracLoss, gamma: Double = 1, sigma: Double = 0.5,
                quadratureNodes: Int = GaussHermite.defaultCount) throws(GSLError) {
        self.loss = loss
        self.gamma = gamma
        self.quadrature = loss == .noise ? try GaussHermite(sigma: sigma, count: quadratureNodes) : nil
    }

    /// Whether v is differentiable at (0, 0). The wgan-gp penalty's gradient γ·sgn(ψ)(|ψ| − 1)
    /// jumps by 2γ across ψ = 0, so there its linearisation does not describe the dynamics.
    public var isSmoothAtEquilibrium: Bool { loss != .wganGP || gamma == 0 }

    // MARK: The vector field

    /// v(θ, ψ) = (θ̇, ψ̇): the generator's descent direction and the discriminator's ascent direction.
    ///
    /// - gan:  (−ψ f′(ψθ), θ f′(ψθ))
    /// - nonsat: (−ψ f′(−ψθ), θ f′(ψθ)) — G ascends f(−ψθ), the non-saturating cost
    /// - wgan: (−ψ, θ)
    /// - wgan-gp: (−ψ, θ − γ sgn(ψ)(|ψ| − 1)), with sgn(0) = 0 (what autodiff returns for |ψ|′ at 0)
    /// - r1: (−ψ f′(ψθ), θ f′(ψθ) − γψ)
    /// - noise: L = E[f(ψ(θ + ε))] + E[f(−ψε)], so
    ///   v = (−ψ E[f′(ψ(θ+ε))], E[(θ+ε) f′(ψ(θ+ε))] − E[ε f′(−ψε)])
    public func vectorField(theta: Double, psi: Double) -> (theta: Double, psi: Double) {
        typealias F = LogisticLoss
        switch loss {
        case .minimax:
            let slope = F.derivative(psi * theta)
            return (-psi * slope, theta * slope)
        case .nonsat:
            return (-psi * F.derivative(-psi * theta), theta * F.derivative(psi * theta))
        case .wgan:
            return (-psi, theta)
        case .wganGP:
            let sign: Double = psi > 0 ? 1 : (psi < 0 ? -1 : 0)
            return (-psi, theta - gamma * sign * (abs(psi) - 1))
        case .r1:
            let slope = F.derivative(psi * theta)
            return (-psi * slope, theta * slope - gamma * psi)
        case .noise:
            let q = quadrature!
            let fake = q.expectation { F.derivative(psi * (theta + $0)) }
            let fakeMoment = q.expectation { (theta + $0) * F.derivative(psi * (theta + $0)) }
            let realMoment = q.expectation { $0 * F.derivative(-psi * $0) }
            return (-psi * fake, fakeMoment - realMoment)
        }
    }

    /// The Jacobian ∂v/∂(θ, ψ) at (θ, ψ), differentiated exactly (through f″, and for `noise` by
    /// the same quadrature of f″ terms), not by finite differences.
    ///
    /// For wgan-gp at ψ = 0 it returns the one-sided limit [[0, −1], [1, −γ]] (the same from both
    /// sides); the field itself jumps there (see ``isSmoothAtEquilibrium``).
    public func jacobian(theta: Double, psi: Double) -> Matrix2x2 {
        typealias F = LogisticLoss
        switch loss {
        case .minimax, .r1:
            let s = psi * theta
            let slope = F.derivative(s), curvature = F.secondDerivative(s)
            let damping = loss == .r1 ? gamma : 0
            return Matrix2x2(-psi * psi * curvature, -slope - s * curvature,
                             slope + s * curvature, theta * theta * curvature - damping)
        case .nonsat:
            let s = psi * theta
            let slopeG = F.derivative(-s), curvatureG = F.secondDerivative(-s)
            let slope = F.derivative(s), curvature = F.secondDerivative(s)
            return Matrix2x2(psi * psi * curvatureG, -slopeG + s * curvatureG,
                             slope + s * curvature, theta * theta * curvature)
        case .wgan:
            return Matrix2x2(0, -1, 1, 0)
        case .wganGP:
            return Matrix2x2(0, -1, 1, -gamma)
        case .noise:
            let q = quadrature!
            let slope = q.expectation { F.derivative(psi * (theta + $0)) }
            let moment1 = q.expectation { (theta + $0) * F.secondDerivative(psi * (theta + $0)) }
            let moment2 = q.expectation { (theta + $0) * (theta + $0) * F.secondDerivative(psi * (theta + $0)) }
            let real2 = q.expectation { $0 * $0 * F.secondDerivative(-psi * $0) }
            let curvature = q.expectation { F.secondDerivative(psi * (theta + $0)) }
            return Matrix2x2(-psi * psi * curvature, -slope - psi * moment1,
                             slope + psi * moment1, moment2 + real2)
        }
    }

    /// The Jacobian of v at the equilibrium (0, 0), from the exact derivative of the field.
    public var equilibriumJacobian: Matrix2x2 { jacobian(theta: 0, psi: 0) }

    /// The same Jacobian from the closed forms [[0, −f′(0)], [f′(0), c]] (see the type's summary),
    /// with f′(0) = ½ and f″(0) = −¼ for the logistic f.
    public var closedFormEquilibriumJacobian: Matrix2x2 {
        let slope = loss.slopeAtZero
        let damping: Double
        switch loss {
        case .minimax, .nonsat, .wgan: damping = 0
        case .wganGP, .r1: damping = -gamma
        case .noise: damping = 2 * -0.25 * quadrature!.sigma * quadrature!.sigma
        }
        return Matrix2x2(0, -slope, slope, damping)
    }

    // MARK: The field on a grid

    /// The largest half-width R of the field grid: ψθ and the penalties stay far from overflow.
    public static let maximumFieldExtent = 1e100

    /// Checks the grid of ``fieldCSV(extent:count:)``: 0 < R ≤ 1e100, 2 ≤ n ≤ 1000.
    public static func validateField(extent: Double, count: Int) throws(ManifoldLabError) {
        guard extent > 0, extent <= maximumFieldExtent else {
            throw .invalidValue(parameter: "field_extent", value: NumberFormat.echo(extent),
                                 allowed: "a half-width R with 0 < R ≤ \(NumberFormat.text(maximumFieldExtent))")
        }
        guard (2...1000).contains(count) else {
            throw .invalidValue(parameter: "field_grid", value: String(count), allowed: "grid points per axis n with 2 ≤ n ≤ 1000")
        }
    }

    /// v on an n × n grid over [−R, R]², as CSV `theta,psi,v_theta,v_psi` (for phase portraits);
    /// refused (exit 70) when v overflows somewhere on the grid (a huge γ with a wide grid).
    public func fieldCSV(extent: Double, count: Int) throws(ManifoldLabError) -> String {
        var out = "theta,psi,v_theta,v_psi\n"
        for i in 0..<count {
            for j in 0..<count {
                let theta = count == 1 ? 0 : extent * (-1 + 2 * Double(i) / Double(count - 1))
                let psi = count == 1 ? 0 : extent * (-1 + 2 * Double(j) / Double(count - 1))
                let v = vectorField(theta: theta, psi: psi)
                guard v.theta.isFinite && v.psi.isFinite else {
                    throw .numericalFailure("the field overflows double precision at (θ, ψ) = (\(NumberFormat.text(theta)), \(NumberFormat.text(psi))); use a smaller \(parameter: "field_extent") or \(parameter: "gamma")")
                }
                out += [theta, psi, v.theta, v.psi].map(NumberFormat.text).joined(separator: ",") + "\n"
            }
        }
        return out
    }
}
