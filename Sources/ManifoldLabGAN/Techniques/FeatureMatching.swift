import ManifoldLabCore
/// Feature matching (Salimans et al. 2016, §3.1): G minimises ‖μ_real − μ_fake‖², the squared
/// distance between the means of D's last-hidden-layer features f over a real and a fake batch,
/// instead of its GAN cost. D trains as before; G chases the data's statistics rather than D's
/// current verdict, which does not vanish when D wins.
enum FeatureMatching {
    /// The loss ‖μ_real − μ_fake‖² and, into `gradient` (same shape as `fake`, rows × width),
    /// ∂/∂f(x_fake_r) = −2(μ_real − μ_fake)/rows for every fake row; μ_real is a constant.
    static func loss<Scalar: BLASScalar>(real: UnsafeBufferPointer<Scalar>, fake: UnsafeBufferPointer<Scalar>,
                                         width: Int, gradient: inout [Scalar]) -> Double {
        precondition(real.count % width == 0 && fake.count % width == 0 && !real.isEmpty && !fake.isEmpty)
        let realRows = real.count / width, fakeRows = fake.count / width
        var difference = [Double](repeating: 0, count: width)
        for r in 0..<realRows { for j in 0..<width { difference[j] += Double(real[r * width + j]) } }
        for j in 0..<width { difference[j] /= Double(realRows) }
        var fakeMean = [Double](repeating: 0, count: width)
        for r in 0..<fakeRows { for j in 0..<width { fakeMean[j] += Double(fake[r * width + j]) } }
        for j in 0..<width { difference[j] -= fakeMean[j] / Double(fakeRows) }
        if gradient.count != fake.count { gradient = [Scalar](repeating: 0, count: fake.count) }
        for j in 0..<width {
            let g = Scalar(-2 * difference[j] / Double(fakeRows))
            for r in 0..<fakeRows { gradient[r * width + j] = g }
        }
        return difference.reduce(0) { $0 + $1 * $1 }
    }
}
