// manifoldlab-bench: times the transport library on point sets given as raw little-endian float64
// files (row-major n × D), for bench/transport.py. Not a user-facing tool.
//
//   manifoldlab-bench METHOD X.bin Y.bin D [key=value ...]
//   METHOD: exact | assignment | simplex | sinkhorn | sliced | knn (KL(X‖Y), key k=5; prints value and seconds)
//   manifoldlab-bench sample MANIFOLD N D [σ]   times sampling N points in R^D in memory
//   keys: order=2 repeat=1 tolerance=1e-6 path=automatic|kernel|log-domain|multiscale
//         sinkhorn's ε: blur=length | fraction=blur/diameter | epsilon=ε/max cost (default: the library's)
//         projections=200 directions=orthogonal|sobol
//
// Prints one JSON line: the result, plus "seconds" (the fastest of `repeat` runs, library call only).
import Foundation
import ManifoldLabCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("manifoldlab-bench: " + message + "\n").utf8))
    exit(64)
}

// Fast BLAS kernels need OPENBLAS_CORETYPE at process start (see PLATFORM-NOTES): re-exec once.
if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let core = BLASBackend.recommendedCoreType() {
    setenv("OPENBLAS_CORETYPE", core, 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
}
BLASBackend.setThreads(1)

let args = CommandLine.arguments
// `manifoldlab-bench sample MANIFOLD N D [noise]`: times drawing N points in R^D in memory.
if args.count >= 5, args[1] == "sample", let n = Int(args[3]), let d = Int(args[4]) {
    let request = SampleRequest(manifold: ManifoldSpec(kind: ManifoldKind(rawValue: args[2]) ?? .helix), dimension: d,
                                count: n, noise: args.count > 5 ? Double(args[5]) ?? 0 : 0, maxMemory: 16 << 30)
    let start = DispatchTime.now()
    let points = try request.run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    print("{\"points\":\(points.rows),\"dimension\":\(points.columns),\"seconds\":\(seconds)}")
    exit(0)
}
guard args.count >= 5, let dimension = Int(args[4]), dimension > 0 else {
    fail("usage: manifoldlab-bench METHOD X.bin Y.bin D [key=value ...]")
}
let options: [String: String] = {
    var options: [String: String] = [:]
    for pair in args.dropFirst(5) {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { fail("bad option \(pair)") }
        options[parts[0]] = parts[1]
    }
    return options
}()

func load(_ path: String) -> Matrix<Double> {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let count = data.count / 8
    guard count % dimension == 0 else { fail("\(path): \(count) numbers is not a multiple of D = \(dimension)") }
    var storage = [Double](repeating: 0, count: count)
    _ = storage.withUnsafeMutableBytes { data.copyBytes(to: $0) }
    return Matrix(rows: count / dimension, columns: dimension, storage: storage)
}

let x = load(args[2]), y = load(args[3])
if args[1] == "knn" {
    var best = Double.infinity, value = 0.0
    for _ in 0..<max(1, Int(options["repeat"] ?? "1") ?? 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        do { value = try KNNEstimator.estimate(.kl, p: x, q: y, k: Int(options["k"] ?? "5") ?? 5).value } catch { fail(error.description) }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print("{\"value\":\(value),\"seconds\":\(best)}")
    exit(0)
}
let order = Double(options["order"] ?? "2") ?? 2
let repeats = Int(options["repeat"] ?? "1") ?? 1

func run() throws(ManifoldLabError) -> TransportResult {
    switch args[1] {
    case "exact": return try Wasserstein.exact(x, y, order: order, maxIterations: Int(options["maxiter"] ?? ""))
    case "assignment": return try Wasserstein.exact(x, y, order: order, solver: .assignment)
    case "simplex": return try Wasserstein.exact(x, y, order: order, solver: .networkSimplex,
                                                 maxIterations: Int(options["maxiter"] ?? ""))
    case "sinkhorn":
        return try Wasserstein.sinkhorn(x, y, order: order,
                                        epsilon: options["blur"].flatMap(Double.init).map { .blur($0) }
                                            ?? options["fraction"].flatMap(Double.init).map { .blurRelativeToDiameter($0) }
                                            ?? options["epsilon"].flatMap(Double.init).map { .relativeToMaxCost($0) }
                                            ?? .standard,
                                        tolerance: Double(options["tolerance"] ?? "1e-6") ?? 1e-6,
                                        path: SinkhornPath(rawValue: options["path"] ?? "automatic") ?? .automatic)
    case "sliced":
        return try Wasserstein.sliced(x, y, order: order, projections: Int(options["projections"] ?? "200") ?? 200,
                                      directions: SlicingDirections(rawValue: options["directions"] ?? "orthogonal") ?? .orthogonal,
                                      seed: Seed(UInt64(options["seed"] ?? "1") ?? 1))
    default: fail("unknown method \(args[1])")
    }
}

var best = Double.infinity
var result: TransportResult?
for _ in 0..<max(1, repeats) {
    let start = DispatchTime.now().uptimeNanoseconds
    do { result = try run() } catch { fail(error.description) }
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
struct Output: Encodable { let result: TransportResult; let seconds: Double; let core: String }
print(JSONOutput.line(Output(result: result!, seconds: best, core: BLASBackend.coreName)))
