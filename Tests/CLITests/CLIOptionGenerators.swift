import Foundation
import PropertyBased
import Synchronization

/// One command line for the property tests: a subcommand and its options, each option one or two
/// arguments (`--dim=3`, a flag such as `--same-frame`, or stray junk). `{dir}` in an argument
/// stands for a fresh empty directory of the run, `{fixtures}` for the directory of sample files
/// (``CLIFixtures``).
struct Invocation: Sendable, CustomStringConvertible {
    var command: String
    var options: [[String]]
    /// Options the shrinker keeps: they cap the size of the run (n, steps, widths).
    var pinned: Set<Int>

    var description: String { ([command] + options.flatMap { $0 }).joined(separator: " ") }

    func arguments(directory: String, fixtures: String) -> [String] {
        [command] + options.flatMap { $0 }.map {
            $0.replacingOccurrences(of: "{dir}", with: directory).replacingOccurrences(of: "{fixtures}", with: fixtures)
        }
    }

    /// The value given to `name` (the last one wins, as in the argument parser), or nil.
    func value(of name: String) -> String? {
        options.last { $0.count == 1 && $0[0].hasPrefix(name + "=") }.map { String($0[0].dropFirst(name.count + 1)) }
    }

    func has(_ flag: String) -> Bool { options.contains { $0 == [flag] } }

    /// Smaller command lines for the shrinker: each drops one option that is not pinned.
    var smaller: [Invocation] {
        options.indices.filter { !pinned.contains($0) }.map { dropped in
            var copy = self
            copy.options.remove(at: dropped)
            copy.pinned = Set(pinned.map { $0 > dropped ? $0 - 1 : $0 })
            return copy
        }
    }
}

/// The values of one option: a generator of valid values and a list of invalid ones (out of
/// range, not a number, NaN or ∞, empty, unknown, huge).
struct Domain: Sendable {
    let valid: Generator<String, AnySequence<Any>>
    let invalid: [String]

    /// A valid value, or with probability `invalidRate` an invalid one.
    func draw(invalidRate: Double, using rng: inout Xoshiro) -> String {
        if !invalid.isEmpty && Double.random(in: 0..<1, using: &rng) < invalidRate {
            return invalid.randomElement(using: &rng)!
        }
        return valid.run(using: &rng)
    }
}

/// Generators of option values (PropertyBased's `Gen`), mostly valid.
enum OptionValues {
    typealias Values = Generator<String, AnySequence<Any>>

    static let junkIntegers = ["", "abc", "1.5", "nan", "1e3", "0x10", " 7", "99999999999999999999",
                               "-9223372036854775808", "9223372036854775807", "1000000000000"]
    static let junkDoubles = ["", "abc", "nan", "NaN", "-nan", "inf", "-inf", "infinity", "1e400", "-1e400", "1,5", "0x1p-1074"]

    static func one(of choices: [String]) -> Values {
        Gen<String?>.element(of: choices).map { $0 ?? "" }.eraseToAny()
    }

    static func integers(_ range: ClosedRange<Int>) -> Values {
        Gen.int(in: range).map { String($0) }.eraseToAny()
    }

    static func doubles(_ range: ClosedRange<Double>) -> Values {
        Gen.double(in: range).map { $0.description }.eraseToAny()
    }

    static func mostly(_ valid: Values, else invalid: [String]) -> Domain { Domain(valid: valid, invalid: invalid) }

    static func integer(_ valid: ClosedRange<Int>, invalid: [String] = []) -> Domain {
        mostly(integers(valid), else: invalid + junkIntegers)
    }

    /// Reals in `valid`, one time in four one of `special` (valid edge values) instead.
    static func real(_ valid: ClosedRange<Double>, special: [String] = [], invalid: [String] = []) -> Domain {
        let inRange = special.isEmpty ? doubles(valid) : Gen.frequency([(3, doubles(valid)), (1, one(of: special))]).eraseToAny()
        return mostly(inRange, else: invalid + junkDoubles)
    }

    /// Magnitudes 10^U[exponents] (scale tests: the same problem at 10^±150), with a random sign when `signed`.
    static func logReal(_ exponents: ClosedRange<Double>, signed: Bool = false) -> Values {
        zip(Gen.double(in: exponents), Gen.bool).map { exponent, negative in
            ((signed && negative ? -1.0 : 1.0) * pow(10, exponent)).description
        }.eraseToAny()
    }

    /// Mostly `valid`, one time in three a magnitude from 10^±150.
    static func scaled(_ valid: ClosedRange<Double>, signed: Bool = false, special: [String] = [], invalid: [String] = []) -> Domain {
        let values: Values = special.isEmpty
            ? Gen.frequency([(4, doubles(valid)), (2, logReal(-150...150, signed: signed))]).eraseToAny()
            : Gen.frequency([(4, doubles(valid)), (2, logReal(-150...150, signed: signed)), (1, one(of: special))]).eraseToAny()
        return mostly(values, else: invalid + junkDoubles)
    }

    static func name(_ valid: [String], invalid: [String] = ["", "bogus", "LINE", " line"]) -> Domain {
        mostly(one(of: valid), else: invalid)
    }

    static let manifolds = ["line", "plane", "flat", "circle", "helix", "sphere", "swissroll", "torus",
                            "gaussian", "uniform", "ring", "grid"]
    static let seed = mostly(Gen.uint64().map { String($0) }.eraseToAny(), else: ["-1", "18446744073709551616", "abc", "", "1.0"])
    static let maxMemory = integer(1...4096, invalid: ["0", "-1", "4398046511104", "8796093022207"])
    /// An output file: a fresh path, or one that cannot be written.
    static let outFile = mostly(one(of: ["{dir}/out.csv", "{dir}/out.json"]),
                                else: ["", "{dir}", "/nonexistent-dir/out.csv", "/proc/manifoldlab/out.csv",
                                       "{dir}/missing/out.csv", "/dev/null/out.csv"])
    /// An output directory of a training run.
    static let outDirectory = mostly(one(of: ["{dir}/run", "{dir}/a/b"]),
                                     else: ["", "/nonexistent-dir/run", "/proc/manifoldlab-run", "{fixtures}/good3.csv",
                                            "/dev/null/run"])
    static let source = mostly(one(of: manifolds + ["file:{fixtures}/good3.csv", "file:{fixtures}/bom-crlf3.csv",
                                                    "file:{fixtures}/huge3.csv", "file:{fixtures}/tiny3.csv",
                                                    "file:{fixtures}/atoms3.csv", "file:{fixtures}/constant3.csv",
                                                    "file:{fixtures}/plane3.csv"]),
                               else: ["", "moebius", "Line", "file:", "file:/nonexistent.csv", "file:{fixtures}/ragged.csv",
                                      "file:{fixtures}/one.csv", "file:{fixtures}/text.csv", "file:{fixtures}/empty.csv",
                                      "file:{fixtures}/nan.csv", "file:{fixtures}/good5.csv", "file:{fixtures}",
                                      "file:{fixtures}/header-only.csv", "file:{fixtures}/overflow.csv",
                                      "file:{fixtures}/binary.csv", "file:{fixtures}/wide.csv", "file:{fixtures}/commas.csv"])
}

/// One option of a subcommand: its name, its values, whether it is always given (to cap the size
/// of the run), and how often it is given otherwise.
struct OptionSpec: Sendable {
    let name: String
    let values: Domain?
    let pinned: Bool
    /// How often the option is given when it is not pinned.
    let rate: Double

    static func option(_ name: String, _ values: Domain, pinned: Bool = false, rate: Double = 0.5) -> OptionSpec {
        OptionSpec(name: name, values: values, pinned: pinned, rate: rate)
    }

    static func flag(_ name: String, rate: Double = 0.3) -> OptionSpec { OptionSpec(name: name, values: nil, pinned: false, rate: rate) }
}

/// The option sets of every subcommand, valid ranges kept small so that every run is quick.
enum CommandSpecs {
    typealias V = OptionValues

    /// Shape options apply to some manifolds only (else a refusal), so they are given rarely.
    static let shape: [OptionSpec] = [
        .option("--intrinsic", V.integer(1...4, invalid: ["0", "-1", "1000", "4096"]), rate: 0.06),
        .option("--modes", V.integer(1...9, invalid: ["0", "-3", "100000", "3037000500"]), rate: 0.06),
        .option("--mode-std", V.real(0.001...0.5, invalid: ["0", "-1"]), rate: 0.06),
        .option("--scale", V.scaled(0.1...3, special: ["1e-300", "1e300"], invalid: ["0", "-2"]), rate: 0.06),
    ]
    static let placement: [OptionSpec] = [
        .option("--offset", V.scaled(-3...3, signed: true, special: ["0", "1e6", "-1e6", "1e300"]), rate: 0.3),
        .option("--angle", V.real(-360...360, special: ["0", "90", "1e300"]), rate: 0.3),
        .flag("--same-frame"),
    ]
    static let noise = V.scaled(0.01...1, special: ["0", "1e-6", "1e-300", "1e6"], invalid: ["-1", "-1e-9"])
    static let dimension: Domain = {
        let valid: V.Values = Gen.frequency([(6, V.integers(1...12)), (1, V.one(of: ["64", "4096", "100000", "1000000"]))]).eraseToAny()
        return V.mostly(valid, else: ["0", "-1", "2000000", "10000000000"] + V.junkIntegers)
    }()
    /// `sample` writes every coordinate: n ≤ 150 points in R^10⁶ are gigabytes of text, which only
    /// slows the fuzz down (the memory checks are exercised by --n and --max-memory instead).
    static let sampleDimension: Domain = {
        let valid: V.Values = Gen.frequency([(6, V.integers(1...12)), (1, V.one(of: ["64", "4096"]))]).eraseToAny()
        return V.mostly(valid, else: ["0", "-1", "2000000", "10000000000"] + V.junkIntegers)
    }()

    static let divergence: [OptionSpec] = [
        .option("--n", V.integer(2...150, invalid: ["0", "1", "-5", "1000000000000", "4611686018427387904"]), pinned: true),
        .option("--p", V.source), .option("--q", V.source), .option("--dim", dimension), .option("--noise", noise),
        .option("--method", V.name(["auto", "exact", "smoothed", "knn", "classifier", "sinkhorn", "sliced"],
                                    invalid: ["", "magic", "Exact"])),
        .option("--k", V.integer(1...8, invalid: ["0", "-1", "101"])),
        .option("--projections", V.integer(1...50, invalid: ["0", "-1", "100001"])),
        .option("--blur", V.scaled(0.01...1, special: ["1e-300", "1e300"], invalid: ["0", "-1"]), rate: 0.15),
        .option("--epsilon", V.scaled(1e-4...1, special: ["1e-300", "1e300"], invalid: ["0", "-1"]), rate: 0.1),
        .option("--format", V.name(["text", "json", "csv"], invalid: ["", "xml", "JSON"])),
        .option("--seed", V.seed), .option("--max-memory", V.maxMemory),
    ] + shape + placement

    static let trainingModel: [OptionSpec] = [
        .option("--dim", V.integer(1...12, invalid: ["0", "-1", "2000000", "10000000000"]), pinned: true),
        .option("--hidden", V.integer(1...16, invalid: ["0", "-1", "100000000"]), pinned: true),
        .option("--batch", V.integer(2...32, invalid: ["0", "1", "100000000"]), pinned: true),
        .option("--data", V.name(V.manifolds)),
        .option("--latent", V.integer(1...3, invalid: ["0", "65"])),
        .option("--latent-dist", V.name(["uniform", "normal"])),
        .option("--generator", V.name(["mlp", "affine"])),
        .option("--layers", V.integer(0...2, invalid: ["-1", "1000"])),
        .option("--noise", noise),
        .option("--precision", V.name(["double", "float"], invalid: ["", "half", "Double"])),
        .option("--seed", V.seed),
        .option("--format", V.name(["text", "json", "csv"], invalid: ["", "xml"])),
        .option("--out", V.outDirectory),
    ] + shape

    static let sample: [OptionSpec] = [
        .option("--n", V.integer(1...150, invalid: ["0", "-5", "1000000000000", "4611686018427387904"]), pinned: true),
        .option("--manifold", V.name(V.manifolds)), .option("--dim", sampleDimension), .option("--noise", noise),
        .option("--against", V.name(V.manifolds), rate: 0.4), .option("--seed", V.seed),
        .option("--format", V.name(["csv", "json"], invalid: ["", "text", "xml"])),
        .option("--out", V.outFile), .option("--max-memory", V.maxMemory),
    ]

    static let start: Domain = {
        let pairs: V.Values = zip(Gen.double(in: -3...3), Gen.double(in: -3...3)).map { "\($0),\($1)" }.eraseToAny()
        let edges: V.Values = V.one(of: ["1e300,1e300", "0,0", "-1,1"])
        let valid: V.Values = Gen.frequency([(3, pairs), (1, edges)]).eraseToAny()
        return V.mostly(valid, else: ["", "1", "1,2,3", "nan,1", "1,inf", "a,b", ",", "1;2"])
    }()

    static let dirac: [OptionSpec] = [
        .option("--steps", V.integer(1...300, invalid: ["0", "-1", "100000000", "1000000000000"]), pinned: true),
        .option("--loss", V.name(["minimax", "nonsat", "wgan", "wgan-gp", "r1", "noise"], invalid: ["", "lsgan", "GAN"])),
        .option("--update", V.name(["simultaneous", "alternating"])),
        .option("--d-steps", V.integer(1...5, invalid: ["0", "-1", "1000000000"])),
        .option("--lr", V.real(0.001...1, special: ["10", "1e300"], invalid: ["0", "-0.1"])),
        .option("--start", start),
        .option("--gamma", V.real(0...5, invalid: ["-1"])),
        .option("--noise", V.scaled(0...2, special: ["1e-200", "1e200"], invalid: ["-0.1"])),
        .option("--clip", V.real(0.01...2, invalid: ["0", "-1"])),
        .option("--format", V.name(["text", "json", "csv"], invalid: ["", "xml"])),
        .option("--out", V.outFile), .option("--field", V.outFile),
        .option("--field-extent", V.real(0.1...5, invalid: ["0", "-1"])),
        .option("--field-grid", V.integer(2...30, invalid: ["0", "1", "-1", "100000000", "3037000500"])),
    ]

    static let trainToy: [OptionSpec] = [
        .option("--steps", V.integer(1...15, invalid: ["0", "-1", "1000000000000"]), pinned: true),
        .option("--eval-points", V.integer(2...40, invalid: ["0", "1", "5001", "-1"]), pinned: true),
        .option("--log-every", V.integer(1...10, invalid: ["0", "-1"])),
        .option("--smoothed-js-every", V.integer(0...3, invalid: ["-1"])),
        .option("--d-steps", V.integer(1...3, invalid: ["0", "-1", "1001"])),
        .option("--loss", V.name(["minimax", "nonsat", "wgan", "wgan-gp", "r1"], invalid: ["", "hinge"])),
        .flag("--noise-anneal"),
        .option("--lr", V.real(1e-5...1e-2, special: ["1e6"], invalid: ["0", "-1"])),
        .option("--optimizer", V.name(["adam", "rmsprop", "sgd"], invalid: ["", "lbfgs"])),
        .option("--gamma", V.real(0...20, invalid: ["-1"])),
        .option("--clip", V.real(0.001...1, invalid: ["0", "-1"])),
        .option("--w1", V.name(["exact", "sliced"], invalid: ["", "sinkhorn"])),
    ] + techniques

    /// The Improved-GAN techniques of train-toy.
    static let techniques: [OptionSpec] = [
        .flag("--feature-matching", rate: 0.2),
        .option("--minibatch-disc", V.mostly(V.one(of: ["1,1", "2,2", "4,3"]), else: ["", "4", "0,4", "4,0", "a,b", "4,2,1", "2000,2"]),
                rate: 0.2),
        .option("--historical-avg", V.real(0...1, special: ["0"], invalid: ["-1"]), rate: 0.2),
        .option("--label-smoothing", V.real(0.5...1, special: ["1"], invalid: ["0", "-0.1", "1.5"]), rate: 0.2),
        .flag("--virtual-batchnorm", rate: 0.2),
    ]

    /// compare-techniques: the model options it shares with train-toy, a couple of arms, few steps.
    static let compareTechniques: [OptionSpec] = trainingModel.filter {
        ["--dim", "--hidden", "--batch", "--latent", "--latent-dist", "--generator", "--layers"].contains($0.name)
    } + [
        .option("--data", V.name(["ring", "grid"], invalid: ["", "line", "bogus"])),
        .option("--steps", V.integer(1...4, invalid: ["0", "-1", "1000000000000"]), pinned: true),
        .option("--seeds", V.integer(1...2, invalid: ["0", "-1", "1001"]), pinned: true),
        .option("--only", V.mostly(V.one(of: ["plain", "plain,r1", "feature-matching", "label-smoothing,historical-avg",
                                             "minibatch-disc", "virtual-batchnorm,instance-noise"]),
                                   else: ["", "bogus", "plain,,r1"]), pinned: true),
        .option("--jobs", V.integer(1...2, invalid: ["0", "65", "-1"])),
        .option("--loss", V.name(["nonsat", "minimax"], invalid: ["", "hinge"])),
        .option("--lr", V.real(1e-5...1e-2, invalid: ["0", "-1"])),
        .option("--minibatch-disc", V.mostly(V.one(of: ["1,1", "2,2"]), else: ["", "0,4", "a,b"])),
        .option("--label-smoothing", V.real(0.5...1, invalid: ["0", "1.5"])),
        .option("--format", V.name(["text", "json", "csv"], invalid: ["", "xml"])),
        .option("--out", V.outDirectory),
    ]

    /// semi-supervised: a small pool and test sample, few steps, one or two seeds.
    static let semiSupervised: [OptionSpec] = trainingModel.filter {
        ["--dim", "--hidden", "--batch", "--latent", "--latent-dist", "--layers", "--seed", "--format", "--out"].contains($0.name)
    } + [
        .option("--data", V.name(["ring", "grid"], invalid: ["", "line", "bogus"])),
        .option("--steps", V.integer(1...4, invalid: ["0", "-1", "1000000000000"]), pinned: true),
        .option("--n-unlabelled", V.integer(100...400, invalid: ["0", "1", "-1", "10000000"]), pinned: true),
        .option("--test-points", V.integer(25...200, invalid: ["0", "3", "-1"]), pinned: true),
        .option("--labels", V.integer(1...2, invalid: ["0", "-1", "1000000"])),
        .option("--seeds", V.integer(1...2, invalid: ["0", "-1", "1001"])),
        .option("--jobs", V.integer(1...2, invalid: ["0", "65", "-1"])),
        .option("--g-cost", V.name(["feature-matching", "nonsat"], invalid: ["", "minimax"])),
        .option("--supervised-weight", V.real(0.1...2, invalid: ["0", "-1", "nan"])),
        .option("--unsupervised-weight", V.real(0...2, special: ["0"], invalid: ["-1", "inf"])),
        .option("--lr", V.real(1e-5...1e-2, special: ["1e6"], invalid: ["0", "-1"])),
        .option("--log-every", V.integer(1...3, invalid: ["0", "-1"])),
    ] + shape

    static let vanish: [OptionSpec] = [
        .option("--steps", V.integer(1...30, invalid: ["0", "-1", "10000001"]), pinned: true),
        .option("--probe-batches", V.integer(2...4, invalid: ["0", "1", "1001"]), pinned: true),
        .option("--pretrain-steps", V.integer(0...10, invalid: ["-1", "1000001"]), pinned: true),
        .option("--record-every", V.integer(1...3, invalid: ["0", "-1", "10000000"])),
        .option("--d-layers", V.integer(0...2, invalid: ["-1", "1000"])),
        .option("--optimizer", V.name(["adam", "rmsprop", "sgd"], invalid: ["", "lbfgs"])),
        .option("--lr", V.real(1e-5...1e-2, special: ["1e6"], invalid: ["0", "-1"])),
        .option("--pretrain-lr", V.real(1e-5...1e-2, invalid: ["0", "-1"])),
        .option("--offset", V.real(-3...3, special: ["0", "1e6"])),
        .option("--label-smoothing", V.real(0.5...1, special: ["1"], invalid: ["0", "1.5"]), rate: 0.3),
    ]

    /// evaluate and dimension: small samples, few KID subsets (each run stays well under a second
    /// unless the classifier bound is asked for), bandwidths and offsets from 10^±150.
    static let evaluation: [OptionSpec] = [
        .option("--n", V.integer(2...150, invalid: ["0", "1", "-5", "1000000000000", "4611686018427387904"]), pinned: true),
        .option("--dim", dimension),
        .option("--k-min", V.integer(2...6, invalid: ["0", "1", "1001"])),
        .option("--k-max", V.integer(4...12, invalid: ["0", "1", "1001"])),
        .option("--format", V.name(["text", "json", "csv"], invalid: ["", "xml"])),
        .option("--seed", V.seed), .option("--max-memory", V.maxMemory),
    ] + shape

    static let evaluate: [OptionSpec] = evaluation + [
        .option("--real", V.source), .option("--fake", V.source, pinned: true),
        .option("--metrics", V.mostly(V.one(of: ["fd", "kid", "mmd", "prdc", "wasserstein", "dimension", "modes", "fd kid mmd prdc",
                                                 "prdc modes dimension", "classifier"]),
                                      else: ["", "fid", "FD", "all"]), pinned: true),
        .option("--kid-subsets", V.integer(1...4, invalid: ["0", "-1"]), pinned: true),
        .option("--kid-subset-size", V.integer(2...200, invalid: ["0", "1", "-1"])),
        .option("--bandwidth", V.scaled(0.1...3, special: ["1e-300", "1e300"], invalid: ["0", "-1"]), rate: 0.3),
        .option("--projections", V.integer(2...50, invalid: ["0", "-1", "100001"])),
        .option("--offset", V.scaled(-3...3, signed: true, special: ["0", "1e6", "1e300"]), rate: 0.3),
        .option("--angle", V.real(-360...360, special: ["0", "90", "1e300"]), rate: 0.2),
    ]

    static let dimensionCommand: [OptionSpec] = evaluation + [.option("--p", V.source)]

    static let all: [String: [OptionSpec]] = [
        "sample": sample + shape + placement,
        "js": divergence, "kl": divergence, "divergences": divergence,
        "wasserstein": divergence + [.option("--order", V.integer(1...2, invalid: ["0", "3", "-1", "1.5"]))],
        "dirac": dirac,
        "train-toy": trainingModel + trainToy,
        "vanish": trainingModel + vanish,
        "compare-techniques": compareTechniques,
        "semi-supervised": semiSupervised,
        "evaluate": evaluate, "dimension": dimensionCommand,
    ]

    /// Stray arguments, given now and then: an unknown option, a positional, `--`.
    static let junk = V.one(of: ["--bogus", "--bogus=1", "stray", "--", "-x", "-", "--=1"])

    /// Draws one command line for `command`: every pinned option and each other option with its
    /// rate, in a shuffled order. Half the command lines have only valid values (so the
    /// runs that do the work are tried often), the others an invalid value for each option with
    /// probability 0.15, and a stray argument one time in ten.
    static func draw(_ command: String, using rng: inout Xoshiro) -> Invocation {
        let invalidRate = Bool.random(using: &rng) ? 0 : 0.15
        var options: [(arguments: [String], pinned: Bool)] = []
        for spec in all[command]! where spec.pinned || Double.random(in: 0..<1, using: &rng) < spec.rate {
            let arguments = spec.values.map { ["\(spec.name)=\($0.draw(invalidRate: invalidRate, using: &rng))"] } ?? [spec.name]
            options.append((arguments, spec.pinned))
        }
        if invalidRate > 0 && Int.random(in: 0..<5, using: &rng) == 0 { options.append(([junk.run(using: &rng)], false)) }
        options.shuffle(using: &rng)
        return Invocation(command: command, options: options.map(\.arguments),
                          pinned: Set(options.indices.filter { options[$0].pinned }))
    }
}

/// A reproducible stream of command lines for one subcommand: seeded from the subcommand's name
/// and `MANIFOLDLAB_PROPERTY_SEED` (default 0), so every run of the suite tries the same cases, and
/// another seed explores new ones.
final class SeededInvocations: Sendable {
    let command: String
    private let rng: Mutex<Xoshiro>

    init(_ command: String, seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["MANIFOLDLAB_PROPERTY_SEED"] ?? "") ?? 0) {
        self.command = command
        // FNV-1a of the name: a stable hash (Swift's Hasher is randomly seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in command.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        rng = Mutex(Xoshiro(seed: (hash, seed, 0x9e37_79b9_7f4a_7c15, 1)))
    }

    func next() -> Invocation {
        rng.withLock { rng in CommandSpecs.draw(command, using: &rng) }
    }

    /// A generator for `propertyCheck` that ignores the checker's (randomly seeded) generator and
    /// draws from this stream instead; its shrinker drops one unpinned option at a time.
    var generator: Generator<Invocation, [Invocation]> {
        Generator(run: { _ in self.next() }, shrink: { $0.smaller })
    }
}

/// Sample files for `--p file:…`, good and malformed, written once per test process.
enum CLIFixtures {
    static let directory: String = {
        let url = CommandLineRunner.temporaryDirectory().appendingPathComponent("fixtures")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        func points(_ count: Int, _ dimension: Int, separator: String = "\n") -> String {
            let header = (1...dimension).map { "x\($0)" }.joined(separator: ",")
            let rows = (0..<count).map { i in
                (0..<dimension).map { (j: Int) -> String in
                    let angle = Double(i * 7 + j * 3 + 1)
                    return String(sin(angle) * 0.8 + Double(j) * 0.1)
                }.joined(separator: ",")
            }
            return ([header] + rows).joined(separator: separator) + separator
        }
        let files: [String: String] = [
            "good3.csv": points(60, 3),
            "good5.csv": points(40, 5),
            "bom-crlf3.csv": "\u{FEFF}" + points(30, 3, separator: "\r\n"),
            "ragged.csv": "x1,x2,x3\n1,2,3\n4,5\n",
            "one.csv": "x1,x2,x3\n1,2,3\n",
            "text.csv": "x1,x2,x3\n1,two,3\n4,5,6\n",
            "nan.csv": "x1,x2,x3\n1,nan,3\n4,5,6\n",
            "empty.csv": "",
            "header-only.csv": "x1,x2,x3\n",
            // Valid but extreme: the same cloud at 10^±200, repeated points, one point 40 times,
            // a plane's points (2-D support in R^3).
            "huge3.csv": scaled(points(60, 3), by: 1e200),
            "tiny3.csv": scaled(points(60, 3), by: 1e-200),
            "atoms3.csv": "x1,x2,x3\n" + String(repeating: "0.5,0.25,-1\n1,2,3\n", count: 20),
            "constant3.csv": "x1,x2,x3\n" + String(repeating: "7,7,7\n", count: 40),
            "plane3.csv": "x1,x2,x3\n" + (0..<50).map { i in "\(sin(Double(i))),\(cos(Double(3 * i))),0\n" }.joined(),
            // Malformed: a number beyond a double, bytes that are no text, 2 rows × 3000 columns
            // (another dimension than the others), a row of separators only.
            "overflow.csv": "x1,x2,x3\n1,2,3\n1e309,0,0\n",
            "binary.csv": String(decoding: (0..<200).map { UInt8(($0 * 37 + 11) % 256) }, as: UTF8.self),
            "wide.csv": (1...3000).map { "x\($0)" }.joined(separator: ",") + "\n"
                + (0..<2).map { r in (0..<3000).map { String(Double($0 % 7 + r)) }.joined(separator: ",") }.joined(separator: "\n") + "\n",
            "commas.csv": "x1,x2,x3\n,,\n1,2,3\n",
        ]
        /// Every number of a points table multiplied by `factor` (the header kept).
        func scaled(_ table: String, by factor: Double) -> String {
            table.split(separator: "\n").enumerated().map { index, line in
                index == 0 ? String(line) : line.split(separator: ",").map { String(Double($0)! * factor) }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        }
        for (name, text) in files {
            try? text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url.path
    }()
}
