import Foundation
import ManifoldLabCore

// The three ways `walk` prints a ``WalkResult``: a readable table with a one-line summary, CSV
// (one row per point), and one JSON object (the summary and the rows). Numbers follow
// ``NumberFormat`` in CSV and JSON (shortest round-trip decimals); the table rounds to 4 digits.

extension WalkResult {
    /// The CSV header: t, z1…zk, distance, off_span, in_span, step_length, u1…um, then mode and
    /// mode_distance for mixtures and x1…xD with `--full`.
    public var csvHeader: [String] {
        var header = ["t"] + (1...configuration.latent).map { "z\($0)" } + ["distance", "off_span", "in_span", "step_length"]
        header += (1...spanDimension).map { "u\($0)" }
        if isMixture { header += ["mode", "mode_distance"] }
        if fullCoordinates { header += (1...configuration.dimension).map { "x\($0)" } }
        return header
    }

    /// m: the number of span coordinates per row.
    var spanDimension: Int { rows.first?.measured.canonical.count ?? 0 }

    public var csv: String {
        var table = CSVTable(header: csvHeader)
        for row in rows {
            let m = row.measured
            var cells = [NumberFormat.text(row.t)] + row.z.map(NumberFormat.text)
            cells += [m.distance, m.offSpan, m.inSpan, row.stepLength].map(NumberFormat.text)
            cells += m.canonical.map(NumberFormat.text)
            if isMixture { cells += [m.nearestMode.map(String.init) ?? "", m.modeDistance.map(NumberFormat.text) ?? ""] }
            if fullCoordinates { cells += (row.x ?? []).map(NumberFormat.text) }
            table.append(cells)
        }
        return table.text
    }

    /// One JSON object: the run, the path, the summary, the definition of the distance, the rows.
    public var json: String { JSONOutput.line(WalkJSON(self)) + "\n" }

    /// The one-line summary: path length, chord, max and mean distance (and the modes met).
    public var summaryLine: String {
        let f = Self.short
        let (maximum, at) = maxDistance
        var line = "path length \(f(pathLength)) (chord \(f(chord))), distance to the \(configuration.data.kind.rawValue): "
            + "max \(f(maximum)) at t = \(f(at)), mean \(f(meanDistance)) over \(rows.count) points"
        if isMixture {
            let modes = modesVisited
            line += "; nearest modes along the walk \(modes.map(String.init).joined(separator: " → ")) (\(Set(modes).count) distinct)"
        }
        return line
    }

    /// A header, the definition of the distance, a table of the points, and the summary line.
    public var text: String {
        let c = configuration
        let latentText: ([Double]) -> String = { "(" + $0.map(Self.short).joined(separator: ", ") + ")" }
        var lines = ["walk: \(runPath): \(c.data.kind.rawValue) in R^\(c.dimension), \(c.generator.rawValue) G (latent \(c.latent), \(c.latentDistribution.rawValue)), seed \(c.seed)",
                     "\(path.used.rawValue) from \(latentText(path.from)) to \(latentText(path.to)), \(steps) step\(steps == 1 ? "" : "s") (\(rows.count) points)"]
        if let note = path.note { lines.append("note: \(note)") }
        lines.append(distanceDefinition)
        // Columns: t, z (up to 3 coordinates), the distances, the step length, up to 3 span coordinates.
        let zShown = min(c.latent, 3), uShown = min(spanDimension, 3)
        var header = ["t"] + (1...zShown).map { "z\($0)" } + ["distance", "off_span", "in_span", "step_length"]
        header += (0..<uShown).map { "u\($0 + 1)" }
        if isMixture { header += ["mode", "mode_dist"] }
        if fullCoordinates { header += (1...c.dimension).map { "x\($0)" } }
        var table = [header]
        for row in rows {
            let m = row.measured
            var cells = [String(format: "%.4f", row.t)] + row.z.prefix(zShown).map(Self.short)
            cells += [m.distance, m.offSpan, m.inSpan, row.stepLength].map(Self.short)
            cells += m.canonical.prefix(uShown).map(Self.short)
            if isMixture { cells += [m.nearestMode.map(String.init) ?? "", m.modeDistance.map(Self.short) ?? ""] }
            if fullCoordinates { cells += (row.x ?? []).map(Self.short) }
            table.append(cells)
        }
        let widths = header.indices.map { j in table.map { $0[j].count }.max()! }
        for cells in table {
            lines.append(cells.indices.map { j in
                String(repeating: " ", count: widths[j] - cells[j].count) + cells[j]
            }.joined(separator: "  "))
        }
        var shown: [String] = []
        if zShown < c.latent { shown.append("z: first 3 of \(c.latent) coordinates (all in csv/json)") }
        if uShown < spanDimension { shown.append("u: first 3 of \(spanDimension) span coordinates (all in csv/json)") }
        if !shown.isEmpty { lines.append("(" + shown.joined(separator: "; ") + ")") }
        lines.append(summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// 4 significant digits, ∞ and NaN spelled as everywhere else.
    static func short(_ value: Double) -> String { NumberFormat.short(value) }
}

/// The JSON form of a walk (snake_case keys).
struct WalkJSON: Encodable {
    struct Row: Encodable {
        let t: Double
        let z: [Double]
        let distance, offSpan, inSpan, stepLength: Double
        let u: [Double]
        let mode: Int?
        let modeDistance: Double?
        let x: [Double]?

        enum CodingKeys: String, CodingKey {
            case t, z, distance, offSpan = "off_span", inSpan = "in_span", stepLength = "step_length", u, mode, modeDistance = "mode_distance", x
        }
    }

    let run: String
    let data: String
    let dim: Int
    let latent: Int
    let latentDist: String
    let seed: Seed
    let interp: String
    let interpUsed: String
    let note: String?
    let from: [Double]
    let to: [Double]
    let steps: Int
    let points: Int
    let pathLength: Double
    let chord: Double
    let maxDistance: Double
    let maxDistanceT: Double
    let meanDistance: Double
    let modesVisited: [Int]?
    let distanceDefinition: String
    let rows: [Row]

    enum CodingKeys: String, CodingKey {
        case run, data, dim, latent, latentDist = "latent_dist", seed, interp, interpUsed = "interp_used", note, from, to
        case steps, points, pathLength = "path_length", chord, maxDistance = "max_distance", maxDistanceT = "max_distance_t"
        case meanDistance = "mean_distance", modesVisited = "modes_visited", distanceDefinition = "distance_definition", rows
    }

    init(_ walk: WalkResult) {
        let c = walk.configuration
        run = walk.runPath
        data = c.data.kind.rawValue
        dim = c.dimension
        latent = c.latent
        latentDist = c.latentDistribution.rawValue
        seed = c.seed
        interp = walk.path.requested.rawValue
        interpUsed = walk.path.used.rawValue
        note = walk.path.note
        from = walk.path.from
        to = walk.path.to
        steps = walk.steps
        points = walk.rows.count
        pathLength = walk.pathLength
        chord = walk.chord
        (maxDistance, maxDistanceT) = walk.maxDistance
        meanDistance = walk.meanDistance
        modesVisited = walk.isMixture ? walk.modesVisited : nil
        distanceDefinition = walk.distanceDefinition
        rows = walk.rows.map { row in
            let m = row.measured
            return Row(t: row.t, z: row.z, distance: m.distance, offSpan: m.offSpan, inSpan: m.inSpan, stepLength: row.stepLength,
                       u: m.canonical, mode: m.nearestMode, modeDistance: m.modeDistance, x: row.x)
        }
    }
}
