import Foundation

/// Which family of algorithm produced a ``TransportResult``.
public enum TransportMethod: String, Codable, Sendable, CaseIterable {
    /// Exact optimal transport between the two empirical measures (network simplex or assignment).
    case exact
    /// Entropy-regularised transport, log-domain Sinkhorn iterations (debiased divergence).
    case sinkhorn
    /// Sliced Wasserstein: the average of exact 1-D transports along random directions.
    case sliced
    /// Exact 1-D transport by sorting (quantile functions).
    case oneDimensional = "one-dimensional"
    /// A closed form (translation, two segments, two Gaussians).
    case analytic
}

/// The outcome of one Wasserstein computation.
///
/// `value` is always in distance units: it is W_p itself (or the method's estimate of it), never
/// W_p^p. The same quantity raised to the p-th power, in cost units, is `cost`; `unit` and
/// `costUnit` name the two ("W2" and "W2^2" for p = 2). Method-specific diagnostics are nil when
/// they do not apply.
public struct TransportResult: Codable, Sendable, Equatable {
    /// W_p, or the method's estimate of it (see `estimator`), in distance units.
    public var value: Double
    /// `value^p`: the optimal (or estimated) transport cost in cost units.
    public var cost: Double
    /// The order p of the Wasserstein distance (cost ‖x − y‖^p).
    public var order: Double
    /// The name of `value`'s quantity, e.g. "W2".
    public var unit: String
    /// The name of `cost`'s quantity, e.g. "W2^2".
    public var costUnit: String
    public var method: TransportMethod
    /// The algorithm that ran: "network-simplex", "assignment-jv", "sorting", "sinkhorn-log", …
    public var solver: String
    /// What `value` is, in words (e.g. "S_eps^(1/p), the debiased Sinkhorn divergence").
    public var estimator: String
    /// Pivots (network simplex), augmentations (assignment) or Sinkhorn iterations.
    public var iterations: Int?
    /// The largest |row or column sum of the plan − prescribed mass|, in units of mass (total 1).
    public var marginalError: Double?
    /// Sinkhorn: the entropic regularisation ε, in cost units.
    public var epsilon: Double?
    /// Sinkhorn: ε^{1/p}, the length below which the entropic plan blurs the data, distance units.
    public var blur: Double?
    /// Sinkhorn: ⟨P_ε, C⟩, the transport cost of the entropic plan (biased upwards), cost units.
    public var transportCost: Double?
    /// Sinkhorn: the debiased divergence S_ε = OT_ε(x,y) − ½OT_ε(x,x) − ½OT_ε(y,y), cost units.
    public var sinkhornDivergence: Double?
    /// Sliced: the Monte Carlo standard error of `value` (distance units; delta method).
    public var standardError: Double?
    /// Sliced: the Monte Carlo standard error of `cost`.
    public var costStandardError: Double?
    /// Sliced: the number of directions.
    public var projections: Int?
    /// Sliced: how the directions were drawn ("orthogonal", "sobol").
    public var directions: String?
    /// Anything a reader must know about how the number came about (a fallback taken, say).
    public var note: String?

    public init(cost: Double, order: Double, method: TransportMethod, solver: String, estimator: String) {
        self.cost = cost
        self.value = Wasserstein.root(cost, order: order)
        self.order = order
        self.unit = Wasserstein.unitName(order: order)
        self.costUnit = Wasserstein.unitName(order: order) + "^" + Wasserstein.formatOrder(order)
        self.method = method
        self.solver = solver
        self.estimator = estimator
    }
}
