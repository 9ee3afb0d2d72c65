/// A 64-bit seed and the rule that splits it into independent child seeds, one per purpose.
///
/// Every random draw in manifoldlab comes from a stream whose seed is `root.child(.purpose)`, so
/// adding a new option (and a new stream) never shifts the draws of the existing ones. The
/// purposes are listed once per module (``Purpose``: StreamPurposes.swift in Core and in GAN).
public struct Seed: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// What a random stream is for; its name is hashed into the child seed, so a name must never
    /// change (that would change every draw made with it).
    public struct Purpose: Hashable, Sendable {
        public let name: String
        public init(_ name: String) { self.name = name }
    }

    /// The seed of the stream for `purpose`: SplitMix64 of this seed mixed with the FNV-1a hash
    /// of its name, so different names give statistically unrelated seeds.
    public func child(_ purpose: Purpose) -> Seed {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in purpose.name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Seed(Seed.splitMix64(value ^ Seed.splitMix64(hash)))
    }

    /// The seed of the `index`-th member of a family of streams (one per run in a sweep, say).
    public func child(_ purpose: Purpose, index: Int) -> Seed {
        Seed(Seed.splitMix64(child(purpose).value &+ UInt64(truncatingIfNeeded: index) &* 0x9e37_79b9_7f4a_7c15))
    }

    public var description: String { String(value) }

    /// Encoded as the bare integer, as it is given on the command line.
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
