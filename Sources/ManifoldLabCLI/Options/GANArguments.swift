import ArgumentParser
import ManifoldLabGAN

extension DiracLoss: ExpressibleByArgument {
    /// The current names, and `gan` / `nsgan` (the old spellings of minimax / nonsat) with a note.
    public init?(argument: String) {
        let old: [String: DiracLoss] = ["gan": .minimax, "nsgan": .nonsat]
        if let loss = old[argument] {
            Deprecated.note("--loss \(argument)", now: "--loss \(loss.rawValue)")
            self = loss
            return
        }
        self.init(rawValue: argument)
    }
}

extension DiracUpdate: ExpressibleByArgument {}

extension GANLoss: ExpressibleByArgument {}
extension LatentDistribution: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension GeneratorKind: ExpressibleByArgument {}
extension W1Method: ExpressibleByArgument {}
