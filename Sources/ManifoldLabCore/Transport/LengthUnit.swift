import Foundation

/// The length unit in which the transport solvers work: both samples are centred at the middle of
/// their joint bounding box and divided by a power of two so that the largest |coordinate| lies in
/// [½, 1). Every solver is then scale-free — W_p(sP, sQ) = s·W_p(P, Q) holds by construction, at
/// s = 10^±150 as at s = 1 — and no tolerance, ε or cost can overflow or underflow because of
/// the caller's units. Results are mapped back with ``TransportResult/inUnits(of:)``.
///
/// Powers of two make the division exact, so a sample already in unit scale is only centred.
struct LengthUnit: Sendable, Equatable {
    /// The unit is 2^exponent of the caller's lengths.
    let exponent: Int

    static let identity = LengthUnit(exponent: 0)

    /// `value`·2^(power·exponent), computed without overflowing intermediate powers (a `power`
    /// of 2 turns a length unit into a cost unit for W_2^2). The result over- or underflows only
    /// when the true value does.
    func scale(_ value: Double, power: Double = 1) -> Double {
        guard value.isFinite, value != 0, exponent != 0 else { return value }
        let total = power * Double(exponent)
        let whole = total.rounded(.down)
        return Double(sign: .plus, exponent: Int(whole), significand: value * exp2(total - whole))
    }

    /// The inverse of ``scale(_:power:)``: a quantity in the caller's units expressed in this unit.
    func unscale(_ value: Double, power: Double = 1) -> Double {
        LengthUnit(exponent: -exponent).scale(value, power: power)
    }

    /// Centres `x` and `y` together and divides them by the unit this returns. Identical samples
    /// (every coordinate the same) come back exactly zero with the identity unit.
    static func normalising(_ x: Matrix<Double>, _ y: Matrix<Double>) -> (Matrix<Double>, Matrix<Double>, LengthUnit) {
        let d = x.columns
        // Stage 1: divide by a power of two near the largest |coordinate|, so the box centre
        // (min + max)/2 cannot overflow; exact unless a coordinate falls below the normal range.
        var largest = 0.0
        for v in x.storage { largest = max(largest, abs(v)) }
        for v in y.storage { largest = max(largest, abs(v)) }
        guard largest > 0, largest.isFinite else { return (x, y, .identity) }
        let first = largest.exponent + 1
        var lower = [Double](repeating: .infinity, count: d), upper = [Double](repeating: -.infinity, count: d)
        for sample in [x, y] {
            for (i, v) in sample.storage.enumerated() {
                let u = Double(sign: .plus, exponent: -first, significand: v), j = i % d
                lower[j] = min(lower[j], u)
                upper[j] = max(upper[j], u)
            }
        }
        let centre = (0..<d).map { (lower[$0] + upper[$0]) / 2 }
        var spread = 0.0
        for j in 0..<d { spread = max(spread, upper[j] - centre[j], centre[j] - lower[j]) }
        // Stage 2: the centred box's half-width, again a power of two (it is at most 1 here).
        let second = spread > 0 ? spread.exponent + 1 : 0
        func mapped(_ sample: Matrix<Double>) -> Matrix<Double> {
            var out = sample
            out.storage.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices {
                    let u = Double(sign: .plus, exponent: -first, significand: buffer[i]) - centre[i % d]
                    buffer[i] = Double(sign: .plus, exponent: -second, significand: u)
                }
            }
            return out
        }
        return (mapped(x), mapped(y), spread > 0 ? LengthUnit(exponent: first + second) : .identity)
    }
}

extension TransportResult {
    /// This result, computed in `unit`, expressed in the caller's lengths: distances (`value`,
    /// `standardError`) scale by the unit, costs (`cost`, `epsilon`, `transportCost`,
    /// `sinkhornDivergence`, `costStandardError`) by its p-th power. A cost that the caller's
    /// units cannot hold in a Double (W_2^2 at 10^200) becomes ±∞ or 0 while `value` stays exact;
    /// ``costRepresentable`` says so. Throws when `value` itself does not fit in a Double.
    func inUnits(of unit: LengthUnit) throws(ManifoldLabError) -> TransportResult {
        guard unit.scale(value).isFinite else {
            throw .numericalFailure("\(solver): \(Wasserstein.unitName(order: order)) = \(value) × 2^\(unit.exponent) is beyond the largest double; rescale the data")
        }
        guard unit != .identity else { return self }
        var out = self
        let p = order
        out.value = unit.scale(value)
        out.cost = unit.scale(cost, power: p)
        out.standardError = standardError.map { unit.scale($0) }
        out.costStandardError = costStandardError.map { unit.scale($0, power: p) }
        out.epsilon = epsilon.map { unit.scale($0, power: p) }
        out.blur = blur.map { unit.scale($0) }
        out.transportCost = transportCost.map { unit.scale($0, power: p) }
        out.sinkhornDivergence = sinkhornDivergence.map { unit.scale($0, power: p) }
        return out
    }

    /// Whether `cost` (W_p^p) is a faithful Double in the caller's units: false when W_p is
    /// finite and non-zero but its p-th power over- or underflows.
    public var costRepresentable: Bool {
        cost.isFinite && (cost != 0 || value == 0) && (cost == 0 || cost.isNormal)
    }
}
