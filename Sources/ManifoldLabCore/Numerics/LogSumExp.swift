import Foundation

/// log Σ exp(x_i) without overflow or underflow: the largest term is factored out first.
public enum LogSumExp {
    public static func of(_ terms: [Double]) -> Double {
        guard let largest = terms.max(), largest > -.infinity else { return -.infinity }
        if largest == .infinity { return .infinity }
        var sum = 0.0
        for term in terms { sum += exp(term - largest) }
        return largest + log(sum)
    }
}
