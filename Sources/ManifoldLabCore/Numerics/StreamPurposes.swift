/// The random streams of the core, by purpose. The names are hashed into the seeds: changing one
/// changes every draw made with it, so they stay as they are.
extension Seed.Purpose {
    /// Points of the law on side `role` ("p" or "q").
    public static func points(_ role: String) -> Self { Self("points-" + role) }
    /// Instance noise added to side `role`.
    public static func noise(_ role: String) -> Self { Self("noise-" + role) }
    /// The random orthonormal frame that embeds P (and Q when it has its own).
    public static let frameP = Self("frame-p"), frameQ = Self("frame-q")
    /// The Cranley–Patterson shifts of the quasi-Monte Carlo replicates on side `side`.
    public static func shifts(_ side: String) -> Self { Self("shifts-" + side) }
    /// The fixed quadrature nodes of the smoothed manifold's density.
    public static let smoothingNodes = Self("smoothing-nodes")
    /// Sliced Wasserstein: the request's stream, and the projection directions drawn from it.
    public static let sliced = Self("sliced"), slicedDirections = Self("sliced-directions")
    /// The classifier JS bound: its network's initial weights, and its minibatches.
    public static let classifier = Self("classifier"), classifierBatches = Self("classifier-batches")
    /// The random subsets of the KID (``KernelInceptionDistance``).
    public static let kidSubsets = Self("kid-subsets")
    /// A generator's latent codes.
    public static let latent = Self("latent")
}
