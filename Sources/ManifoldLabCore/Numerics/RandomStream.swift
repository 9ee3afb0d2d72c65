import CGSL

/// One GSL Mersenne Twister (`gsl_rng_mt19937`) and the draws manifoldlab needs from it.
///
/// Not `Sendable`: each task owns its own stream, made from a child ``Seed``. The same seed gives
/// the same sequence on every run and machine.
public final class RandomStream {
    private let generator: UnsafeMutablePointer<gsl_rng>

    public init(seed: Seed) {
        GSL.installErrorHandler()
        guard let generator = gsl_rng_alloc(manifoldlab_rng_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        self.generator = generator
        // mt19937 takes 32 bits of seed; fold the 64-bit seed so both halves matter.
        gsl_rng_set(generator, UInt((seed.value ^ (seed.value >> 32)) & 0xffff_ffff))
    }

    deinit { gsl_rng_free(generator) }

    /// Uniform on [0, 1).
    @inline(__always) public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// Uniform on (0, 1): safe to take the logarithm of.
    @inline(__always) public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

    /// Uniform on [lower, upper).
    @inline(__always) public func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * gsl_rng_uniform(generator)
    }

    /// N(0, sigma²), by GSL's ziggurat method.
    @inline(__always) public func gaussian(sigma: Double = 1) -> Double {
        gsl_ran_gaussian_ziggurat(generator, sigma)
    }

    /// Uniform on {0, …, count − 1}.
    @inline(__always) public func integer(below count: Int) -> Int {
        precondition(count > 0 && count <= Int(UInt32.max), "integer(below:) needs 0 < count ≤ 2^32 − 1")
        return Int(gsl_rng_uniform_int(generator, UInt(count)))
    }

    /// Fills `buffer` with independent N(0, sigma²) draws.
    public func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Double>, sigma: Double = 1) {
        for i in buffer.indices { buffer[i] = gsl_ran_gaussian_ziggurat(generator, sigma) }
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, integer(below: i + 1)) }
        }
        return order
    }
}
