/// The zero-filled buffers a tape allocates for one batch size and frees together when the size
/// changes or the tape goes away.
struct TapeBuffers<Scalar: BLASScalar> {
    private var owned: [UnsafeMutablePointer<Scalar>] = []

    /// A zero-filled buffer of `count` values (room for at least one), owned until ``releaseAll()``.
    mutating func allocate(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let p = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
        owned.append(p)
        return p
    }

    /// Frees every buffer handed out; pointers to them must not be used afterwards.
    mutating func releaseAll() {
        for p in owned { p.deallocate() }
        owned.removeAll(keepingCapacity: true)
    }
}
