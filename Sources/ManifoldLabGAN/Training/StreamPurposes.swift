import ManifoldLabCore

/// The random streams of GAN training, by purpose (the core's are in Core's StreamPurposes.swift).
/// The names are hashed into the seeds: changing one changes every draw made with it.
extension Seed.Purpose {
    /// Initial weights of G, of D, and of D's minibatch-discrimination layer and head.
    public static let generator = Self("generator"), discriminator = Self("discriminator")
    public static let minibatch = Self("minibatch"), head = Self("head")
    /// The fixed reference batch of virtual batch normalisation.
    public static let vbnReference = Self("vbn-reference")
    /// A batch sampler's data, latents and instance noise; `prefix` tells the probe's apart.
    public static func batchData(_ prefix: String) -> Self { Self(prefix + "data") }
    public static func batchLatent(_ prefix: String) -> Self { Self(prefix + "latent") }
    public static func batchNoise(_ prefix: String) -> Self { Self(prefix + "noise") }
    /// The interpolates of a gradient penalty.
    public static let penalty = Self("penalty")
    /// The projections of the logged W1, and the draws of the smoothed JS at each log step.
    public static let w1Directions = Self("w1-directions"), smoothedJS = Self("smoothed-js")
    /// The fresh discriminator that vanish trains against each generator.
    public static let freshDiscriminator = Self("fresh-discriminator")
}
