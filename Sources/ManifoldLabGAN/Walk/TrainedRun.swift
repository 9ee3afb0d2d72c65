import Foundation
import ManifoldLabCore

/// A finished `train-toy --out DIR` run read back: its configuration (from `manifest.json`) and its
/// final generator (from `generator.json`), checked against each other.
public struct TrainedRun: Sendable {
    /// The run directory.
    public let path: String
    public let configuration: TrainingConfiguration
    /// G after the run's last step, in Double (a Float run's weights widened exactly).
    public let generator: SavedGenerator

    public static let manifestName = "manifest.json"
    public static let generatorName = "generator.json"

    public init(path: String, configuration: TrainingConfiguration, generator: SavedGenerator) {
        self.path = path
        self.configuration = configuration
        self.generator = generator
    }

    /// Reads `directory`: exit status 66 when it or one of its two files is missing, 65 when a file
    /// does not parse or the two disagree (other shapes, or another run's `run_id`).
    public static func load(directory: String) throws(ManifoldLabError) -> TrainedRun {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw .unreadableInput(path: directory, reason: "no such run directory (a training run writes one: train-toy with \(parameter: "out") DIR)")
        }
        guard isDirectory.boolValue else {
            throw .unreadableInput(path: directory, reason: "not a directory (give the directory that a training run wrote, its \(parameter: "out") DIR)")
        }
        let manifestPath = (directory as NSString).appendingPathComponent(manifestName)
        let generatorPath = (directory as NSString).appendingPathComponent(generatorName)
        let manifest: RunManifest = try decode(manifestPath, what: "a train-toy manifest")
        guard manifest.command == "train-toy" else {
            throw .badInputFile(path: manifestPath, line: nil, problem: "written by `\(manifest.command)`, not by train-toy")
        }
        guard let configuration = manifest.configuration else {
            throw .badInputFile(path: manifestPath, line: nil,
                                problem: "no \"configuration\" (written by an older manifoldlab: train again with \(parameter: "out"))")
        }
        do { _ = try configuration.data.manifold(dimension: configuration.dimension) } catch {
            throw .badInputFile(path: manifestPath, line: nil, problem: "the data do not fit the configuration: \(error)")
        }
        let generator: SavedGenerator = configuration.techniques.virtualBatchNorm
            ? .virtualBatchNorm(try decode(generatorPath, what: "a virtual-batch-norm generator (architecture, parameters, γ/β, reference batch)"))
            : .mlp(try decode(generatorPath, what: "a generator (architecture and parameters)"))
        let architecture = generator.architecture
        guard architecture.inputSize == configuration.latent, architecture.outputSize == configuration.dimension else {
            throw .badInputFile(path: generatorPath, line: nil,
                                problem: "the generator maps R^\(architecture.inputSize) → R^\(architecture.outputSize), the manifest says latent \(configuration.latent) and D = \(configuration.dimension)")
        }
        guard generator.parametersAreFinite else {
            throw .badInputFile(path: generatorPath, line: nil, problem: "a parameter is not a finite number")
        }
        let stamp: RunStamp = try decode(generatorPath, what: "a generator")
        guard stamp.runID == manifest.runID else {
            throw .badInputFile(path: generatorPath, line: nil,
                                problem: "belongs to another run (run_id \(stamp.runID ?? "none"), manifest.json says \(manifest.runID ?? "none")): train again with \(parameter: "out") for a matching pair")
        }
        return TrainedRun(path: directory, configuration: configuration, generator: generator)
    }

    /// The JSON value in `path`, or an error naming the file: 66 when it cannot be read, 65 when
    /// it does not parse as `what`.
    static func decode<T: Decodable>(_ path: String, what: String) throws(ManifoldLabError) -> T {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unreadableInput(path: path, reason: "no such file (a training run with \(parameter: "out") writes it)")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableInput(path: path, reason: (error as NSError).localizedDescription)
        }
        do { return try JSONOutput.decoder().decode(T.self, from: data) } catch {
            if String(decoding: data, as: UTF8.self).contains("\"learningRate\"") {
                throw .badInputFile(path: path, line: nil, problem: "written by a manifoldlab before the one vocabulary (camelCase keys); train again with \(parameter: "out")")
            }
            throw .badInputFile(path: path, line: nil, problem: "not \(what): \(Self.describe(error))")
        }
    }

    /// One line for a decoding error: what was wrong, and where (the coding path).
    static func describe(_ error: any Error) -> String {
        let (context, kind): (DecodingError.Context?, String) = switch error as? DecodingError {
        case .dataCorrupted(let c)?: (c, "corrupt data")
        case .keyNotFound(let key, let c)?: (c, "missing key \"\(key.stringValue)\"")
        case .typeMismatch(_, let c)?: (c, "wrong type")
        case .valueNotFound(_, let c)?: (c, "missing value")
        default: (nil, "\(error)")
        }
        guard let context else { return kind }
        let at = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        let detail = context.debugDescription.split(separator: "\n").first.map(String.init) ?? ""
        return [kind, at.isEmpty ? nil : "at \(at)", detail.isEmpty ? nil : "(\(detail))"].compactMap { $0 }.joined(separator: " ")
    }
}

/// The part of `manifest.json` that `walk` needs.
private struct RunManifest: Decodable {
    let command: String
    let configuration: TrainingConfiguration?
    /// nil in manifests written before run ids (then `generator.json` must have none either).
    let runID: String?

    enum CodingKeys: String, CodingKey { case command, configuration, runID = "runId" }  // run_id in the file
}

extension TrainingResult {
    /// Writes `generator.json` (the final generator in Double, its network's `Codable` form on one
    /// line: architecture and flat parameters, plus γ/β and the reference batch for VBN) when the run has a generator with finite weights; returns
    /// whether it did. A diverged run's weights may be NaN: then no file, rather than one `walk`
    /// would refuse.
    func writeGenerator(to directory: RunDirectory, runID: String) throws(ManifoldLabError) -> Bool {
        guard let generator, generator.parametersAreFinite else { return false }
        try directory.write(TrainedRun.generatorName, generator.jsonLine(runID: runID) + "\n")
        return true
    }
}
