import ManifoldLabCore
import ManifoldLabGAN

/// Refuses manifolds whose random orthonormal frame (D × m, drawn by GSL's Householder QR) would
/// take minutes or abort on allocation: `gaussian`/`uniform` (m = D) and `flat`/`sphere` with a
/// large k in a large R^D. The frame's cost grows like D·m² (measured: m = D = 512 takes 3 s,
/// 1024 takes 26 s, and D = 10⁵ died allocating), so D·m² is capped at 512³.
enum FrameBudget {
    static let maximumWork = 512 * 512 * 512

    static func check(_ specs: [ManifoldSpec], dimension: Int, option: String = "dim") throws(ManifoldLabError) {
        guard dimension >= 1 && dimension <= SampleRequest.maximumDimension else { return }  // refused elsewhere
        for spec in specs {
            // A manifold that does not fit in R^D is refused later, with its own message.
            guard let span = try? spec.manifold(dimension: dimension).spanDimension else { continue }
            let (square, overflow) = span.multipliedReportingOverflow(by: span)
            let (work, overflowWork) = square.multipliedReportingOverflow(by: dimension)
            if overflow || overflowWork || work > maximumWork {
                let largest = Int((Double(maximumWork) / Double(dimension)).squareRoot())
                throw .invalidValue(parameter: option, value: String(dimension), allowed: """
                    \(spec.kind.rawValue) spans \(span) dimensions of R^\(dimension), and a random frame with D·m² above \
                    512³ is refused (it would take minutes); use m ≤ \(largest) spanned dimensions here
                    """)
            }
        }
    }
}
