import Foundation
import Synchronization
import PropertyBased
import Testing

/// Property: whatever the options, valid or not, the CLI never crashes (no signal, no "Fatal
/// error", no stack trace) and never hangs; it exits 0 with output that parses (CSV, JSON, text
/// without NaN; files at --out too), or exits 64…78 with exactly one line `manifoldlab: error: …`
/// on stderr, nothing on stdout and no file (nor temporary file) left at --out.
///
/// The option sets come from ``CommandSpecs`` (PropertyBased generators, seeded: the same cases on
/// every run; `MANIFOLDLAB_PROPERTY_SEED=N` explores others and `MANIFOLDLAB_PROPERTY_COUNT=N`
/// runs N per subcommand). A failure names the command line, shrunk by dropping options; rerun
/// that command line (the `.fixedSeed` hint PropertyBased adds does not apply: the cases come from
/// ``SeededInvocations``, not from the checker's generator) and add it to ``regressions``.
/// `MANIFOLDLAB_PROPERTY_SCALE=N` multiplies every count (`make fuzz`: N = 25, 10 375 runs).
///
/// Every number that comes out is also checked against its range (``RangeChecks``): JS in
/// [0, log 2], KL ≥ 0, W finite and ≥ 0, accuracies and fractions in [0, 1], no NaN or ∞ in any
/// CSV cell or JSON file. Option values include magnitudes from 10^±150 and extreme sample files.
@Suite("Property: random valid and invalid option sets against every subcommand")
struct CLIPropertyTests {
    /// Cases per subcommand (the training commands run a few steps each, so fewer of them).
    static let counts: [String: Int] = ["sample": 60, "js": 60, "kl": 40, "wasserstein": 50, "divergences": 40,
                                        "dirac": 60, "train-toy": 40, "vanish": 40, "compare-techniques": 25, "semi-supervised": 25,
                                        "evaluate": 50, "dimension": 30]

    @Test("never a crash or a hang; exit 0 with parseable output, or one stderr line and no output",
          arguments: ["sample", "js", "kl", "wasserstein", "divergences", "dirac", "train-toy", "vanish", "compare-techniques", "semi-supervised",
                      "evaluate", "dimension"])
    func property(command: String) async {
        let environment = ProcessInfo.processInfo.environment
        let factor = environment["MANIFOLDLAB_PROPERTY_SCALE"].flatMap { Int($0) } ?? 1
        let count = environment["MANIFOLDLAB_PROPERTY_COUNT"].flatMap { Int($0) } ?? Self.counts[command]! * factor
        let invocations = SeededInvocations(command)
        await propertyCheck(count: count, input: invocations.generator) { invocation in
            try Self.check(invocation)
        }
    }

    /// Command lines on which the property once failed, kept as they were found (shrunk).
    static let regressions: [String] = [
        // A huge --dim reached GSL's frame allocation and crashed; D is now capped at 10⁶.
        "sample --dim=99999999999 --n=100",
        // --max-memory above the machine's memory let an 800 GB allocation through (abort), and
        // 2^63 − 1 MiB overflowed into a negative limit; now refused with one line.
        "sample --max-memory=4398046511104 --n=100000000000 --dim=1",
        "sample --max-memory=9223372036854775807 --n=1000000000000 --dim=1",
        // --out and --field naming one file shared a temporary file: exit 73 after writing it.
        "dirac --out={dir}/out.json --field={dir}/out.json --steps=116",
        // Full-dimensional manifolds draw a D × D frame by GSL's QR: D = 4096 ran for half an hour,
        // D = 10⁵ died allocating (SIGILL); frames with D·m² > 512³ are now refused.
        "sample --dim=4096 --n=35 --against=gaussian",
        "sample --dim=100000 --n=2 --manifold=gaussian",
        "js --p=uniform --dim=1000000 --n=10",
        "train-toy --data=gaussian --dim=4096 --steps=1",
        // h = 1e300 overflowed the update's spectral radius: "spectral radius of update: nan" was printed.
        "dirac --steps=243 --update=alternating --lr=1e300",
        // Issue 13, found once option values reached 10^±150 and range checks were added:
        // σ = 1e-130 on a sphere overflowed the product rule's node count into a trap;
        "js --n=27 --noise=8.444277581303845e-130 --q=sphere",
        "kl --noise=5.393390237155074e-98 --q=torus --n=76",
        // KL ≈ 1e294 at σ = 1e-148 came with a standard error of ∞ (its squares overflowed);
        "divergences --dim=8 --format=json --noise=3.7777238391368164e-148 --intrinsic=3 --q=sphere --n=67",
        // 2·2^62 rows overflowed while the memory check added them up;
        "wasserstein --n=4611686018427387904",
        "js --n=9223372036854775807 --q=file:{fixtures}/bom-crlf3.csv",
        "kl --n=9223372036854775807 --noise=1.3737375227546766e+49",
        // a sample of two repeated points reads as 0-dimensional (an empty range of plane
        // dimensions trapped); a subnormal σ = 5e-324 made ∞ − ∞ in a normal interval.
        "kl --p=file:{fixtures}/good3.csv --q=file:{fixtures}/atoms3.csv --n=85",
        "kl --p=file:{fixtures}/atoms3.csv --q=file:{fixtures}/atoms3.csv --n=85",
        "js --noise=0x1p-1074 --n=87",
        "train-toy --noise=0x1p-1074 --steps=2 --dim=3 --hidden=4 --batch=4 --eval-points=8",
        // smoothed_js = −5e-16 in metrics.csv at σ = 9e34; d_loss_std = inf (squares of 1e130 losses).
        "train-toy --hidden=9 --noise=9.101848434817236e+34 --dim=5 --steps=13 --out={dir}/run --eval-points=11 --batch=32",
        "vanish --probe-batches=2 --noise=4.0230787583385555e+126 --batch=26 --out={dir}/run --d-layers=0 --steps=23 --pretrain-steps=0 --dim=8 --optimizer=sgd --hidden=9",
        // smoothed JS −0.0037 ± 0.0032, −∞ at σ = 1e95; kNN JS of a file against itself below 0;
        "js --noise=0.816366959653359 --same-frame --n=99 --dim=5",
        "divergences --noise=1.3284180479199215e+95 --n=66 --q=ring",
        "js --q=file:{fixtures}/bom-crlf3.csv --p=file:{fixtures}/bom-crlf3.csv --n=105",
        "js --method=knn --n=52 --noise=1e6",
        // training summaries with smoothed JS −inf ± −nan at σ = 1e52 and 1e-117.
        "train-toy --dim=6 --batch=2 --eval-points=34 --noise=2.3904589333696336e+52 --steps=15 --hidden=6",
        "train-toy --hidden=7 --dim=11 --eval-points=39 --steps=11 --batch=27 --noise=3.9553960553373e-117",
        // grid's one-line note about --modes on stderr was taken for an error on success.
        "js --q=grid --n=39 --modes=1",
        // ... and printed before an error, making two lines; notes now wait for success.
        "semi-supervised --layers=0 --steps=3 --hidden=2 --dim=12 --modes=1 --batch=6 --n-unlabelled=151 --test-points=91",
        // KID beyond the largest double (a fake moved 1e64): a refused record and exit 70, not ∞.
        "evaluate --offset=1.4301257143029867e+64 --fake=circle --metrics=kid --real=line --n=33 --format=json --kid-subsets=1",
    ]

    @Test("regressions: command lines the property once failed on", arguments: regressions)
    func regression(commandLine: String) throws {
        let words = commandLine.split(separator: " ").map(String.init)
        try Self.check(Invocation(command: words[0], options: words.dropFirst().map { [$0] }, pinned: []))
    }

    /// Serialises the lines of `MANIFOLDLAB_PROPERTY_LOG`.
    static let logLock = Mutex<Void>(())

    /// Runs one command line and checks the property; also used by the regression tests.
    static func check(_ invocation: Invocation) throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = invocation.arguments(directory: directory.path, fixtures: CLIFixtures.directory)
        let outcome = try CommandLineRunner.run(arguments, environment: ["OPENBLAS_NUM_THREADS": "1"], timeout: 60)
        let described = invocation.description
        if let log = ProcessInfo.processInfo.environment["MANIFOLDLAB_PROPERTY_LOG"] {
            // Exploring: one line per run (status, command line, first stderr line), one writer at a
            // time so that the subcommands' parallel runs do not interleave.
            let line = "\(outcome.status)\t\(described)\t\(outcome.stderrLines.first ?? "")\n"
            Self.logLock.withLock { _ in
                if let handle = FileHandle(forWritingAtPath: log) {
                    handle.seekToEndOfFile()
                    handle.write(Data(line.utf8))
                    try? handle.close()
                }
            }
        }
        #expect(!outcome.timedOut, "hung (killed after 60 s): \(described)")
        #expect(!outcome.signalled, "died of signal \(outcome.status): \(described)\n\(outcome.stderr)")
        for marker in ["Fatal error", "Stack dump", "stack trace", "Illegal instruction", "Segmentation fault", "Assertion failed"] {
            #expect(!outcome.stderr.contains(marker), "crashed: \(described)\n\(outcome.stderr)")
        }
        guard !outcome.timedOut && !outcome.signalled else { return }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if outcome.status == 0 {
            try OutputChecks.valid(invocation, outcome: outcome, directory: directory.path)
        } else {
            #expect((64...78).contains(outcome.status), "exit status \(outcome.status) is not a sysexits code: \(described)")
            #expect(outcome.stderrLines.count == 1, "not exactly one line on stderr: \(described)\n\(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("manifoldlab: error: "), "unexpected stderr: \(described)\n\(outcome.stderr)")
            // A refused divergence is still a record in JSON and CSV (value null, refused true) beside
            // the ones that were measured; nothing else writes to stdout when it fails.
            let refusal = outcome.status == 70 && ["js", "kl", "wasserstein", "divergences", "evaluate", "dimension"].contains(invocation.command)
            if refusal && ["evaluate", "dimension"].contains(invocation.command) {
                try OutputChecks.metrics(invocation, outcome: outcome, refusalExpected: true)
            } else if refusal {
                try OutputChecks.refusedDivergences(invocation, outcome: outcome)
            }
            #expect(outcome.stdout.isEmpty || refusal, "output despite an error: \(described)")
            // Training runs write what they logged before a fault (exit 70) into their directory.
            let trainingFault = outcome.status == 70 && ["train-toy", "vanish"].contains(invocation.command)
            #expect(leftovers.isEmpty || trainingFault, "files left after an error: \(leftovers) — \(described)")
        }
    }
}

/// What "valid output" means for each subcommand and format.
enum OutputChecks {
    /// Exit 70 from a divergence command: every record on stdout is either refused (value null or an
    /// empty cell, `refused` true) or a number in its range, and at least one is refused.
    static func refusedDivergences(_ invocation: Invocation, outcome: CommandLineRunner.Outcome) throws {
        let described = invocation.description
        let expected = invocation.command == "divergences" ? 4 : 1
        let lines = outcome.stdout.split(separator: "\n")
        switch invocation.value(of: "--format") ?? "text" {
        case "json":
            #expect(lines.count == expected, "\(lines.count) JSON lines: \(described)")
            var refused = 0
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(described)")
                if object["refused"] as? Bool == true {
                    refused += 1
                    #expect(object["value"] is NSNull, "a refused record with a value: \(described)")
                } else {
                    let number = (object["value"] as? Double) ?? (object["value"] as? String == "inf" ? .infinity : .nan)
                    RangeChecks.divergence(object["divergence"] as? String ?? "", number, stderr: object["stderr"] as? Double ?? .nan, described)
                }
            }
            #expect(refused >= 1, "exit 70 without a refused record: \(described)")
        case "csv":
            let rows = csv(outcome.stdout)
            #expect(rows.count == expected + 1, "\(rows.count) CSV rows: \(described)")
            let value = try #require(rows.first?.firstIndex(of: "value")), flag = try #require(rows.first?.firstIndex(of: "refused"))
            #expect(rows.dropFirst().contains { $0[flag] == "true" && $0[value].isEmpty }, "exit 70 without a refused row: \(described)")
            #expect(rows.dropFirst().allSatisfy { $0[flag] == "true" || Double($0[value]).map { !$0.isNaN } == true }, "CSV: \(described)")
        default:
            #expect(lines.count < expected, "\(lines.count) text lines despite a refusal: \(described)")
            for line in lines { RangeChecks.textLine(String(line), described) }
        }
    }

    static func valid(_ invocation: Invocation, outcome: CommandLineRunner.Outcome, directory: String) throws {
        let described = invocation.description
        // Only notes (`manifoldlab: note: …`, e.g. grid's --modes that now counts all modes) on success.
        let notesOnly = outcome.stderrLines.allSatisfy { $0.hasPrefix("manifoldlab: note: ") }
        #expect(notesOnly || ["train-toy", "vanish"].contains(invocation.command),
                "stderr on success: \(described)\n\(outcome.stderr)")
        let out = invocation.value(of: "--out").map { $0.replacingOccurrences(of: "{dir}", with: directory) }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        #expect(!leftovers.contains { $0.contains(".tmp-") }, "temporary file left: \(leftovers) — \(described)")
        switch invocation.command {
        case "sample":
            let format = invocation.value(of: "--format") ?? "csv"
            let text = try out.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? outcome.stdout
            if out != nil { #expect(outcome.stdout.isEmpty, "stdout with --out: \(described)") }
            let n = invocation.value(of: "--n").flatMap(Int.init)
            if format == "json" {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(described)")
                let points = try #require(object["points"] as? [[Double]], "no points: \(described)")
                #expect(n == nil || points.count == n, "\(points.count) points: \(described)")
                #expect(points.allSatisfy { $0.allSatisfy(\.isFinite) }, "non-finite point: \(described)")
            } else {
                let rows = csv(text)
                #expect(rows.count == (n ?? 1000) + 1, "\(rows.count - 1) rows: \(described)")
                #expect(rows.dropFirst().allSatisfy { $0.count == rows[0].count && $0.allSatisfy { Double($0)?.isFinite == true } },
                        "not a table of finite numbers: \(described)")
            }
        case "js", "kl", "wasserstein", "divergences":
            let expected = invocation.command == "divergences" ? 4 : 1
            let lines = outcome.stdout.split(separator: "\n")
            switch invocation.value(of: "--format") ?? "text" {
            case "json":
                #expect(lines.count == expected, "\(lines.count) JSON lines: \(described)")
                for line in lines {
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(described)")
                    let value = object["value"]
                    #expect(value is Double || value as? String == "inf", "value \(String(describing: value)): \(described)")
                    let number = (value as? Double) ?? (value as? String == "inf" ? .infinity : .nan)
                    RangeChecks.divergence(object["divergence"] as? String ?? "", number, stderr: object["stderr"] as? Double ?? .nan, described)
                }
            case "csv":
                let rows = csv(outcome.stdout)
                #expect(rows.count == expected + 1, "\(rows.count) CSV rows: \(described)")
                let column = try #require(rows.first?.firstIndex(of: "value"), "no value column: \(described)")
                #expect(rows.dropFirst().allSatisfy { $0.count == rows[0].count && Double($0[column]).map { !$0.isNaN } == true },
                        "CSV value not a number: \(described)")
                let kind = rows[0].firstIndex(of: "divergence"), error = rows[0].firstIndex(of: "stderr")
                for row in rows.dropFirst() where row.count == rows[0].count {
                    RangeChecks.divergence(kind.map { row[$0] } ?? "", Double(row[column]) ?? .nan,
                                           stderr: error.flatMap { Double(row[$0]) } ?? .nan, described)
                }
            default:
                #expect(lines.count == expected, "\(lines.count) text lines: \(described)")
                #expect(lines.allSatisfy { $0.contains(" = ") && !words($0).contains("nan") }, "text: \(described)\n\(outcome.stdout)")
                for line in lines { RangeChecks.textLine(String(line), described) }
            }
        case "evaluate", "dimension":
            try metrics(invocation, outcome: outcome, refusalExpected: false)
        case "dirac":
            let format = invocation.value(of: "--format") ?? "text"
            switch format {
            case "json": #expect(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) is [String: Any], "not JSON: \(described)")
            case "csv": #expect(summaryRow(outcome.stdout), "not a summary row: \(described)")
            default: #expect(!outcome.stdout.isEmpty && !words(outcome.stdout).contains("nan"), "text: \(described)\n\(outcome.stdout)")
            }
            if let out { #expect(trajectory(try String(contentsOfFile: out, encoding: .utf8)), "--out not a trajectory: \(described)") }
            if let field = invocation.value(of: "--field")?.replacingOccurrences(of: "{dir}", with: directory) {
                let rows = csv(try String(contentsOfFile: field, encoding: .utf8))
                #expect(rows.first == ["theta", "psi", "v_theta", "v_psi"] && rows.count > 1, "--field: \(described)")
            }
        case "compare-techniques":
            let arms = (invocation.value(of: "--only") ?? "").split(separator: ",").count
            switch invocation.value(of: "--format") ?? "text" {
            case "json":
                let lines = outcome.stdout.split(separator: "\n")
                #expect(lines.count == arms, "\(lines.count) JSON lines for \(arms) arms: \(described)")
                #expect(try lines.allSatisfy { try JSONSerialization.jsonObject(with: Data($0.utf8)) is [String: Any] }, "not JSON: \(described)")
            case "csv":
                let rows = csv(outcome.stdout)
                #expect(rows.count == arms + 1 && rows.allSatisfy { $0.count == rows[0].count }, "CSV: \(described)")
            default:
                #expect(!outcome.stdout.isEmpty && !words(outcome.stdout).contains("nan"), "text: \(described)\n\(outcome.stdout)")
            }
            if let out {
                let rows = csv(try String(contentsOfFile: out + "/runs.csv", encoding: .utf8))
                let seeds = invocation.value(of: "--seeds").flatMap(Int.init) ?? 5
                #expect(rows.count == arms * seeds + 1, "runs.csv: \(described)")
                try RangeChecks.directory(out, described)
            }
        default:  // train-toy, vanish, semi-supervised
            if invocation.value(of: "--format") == "json" {
                #expect(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) is [String: Any], "not JSON: \(described)")
            } else if invocation.value(of: "--format") == "csv" {
                #expect(summaryRow(outcome.stdout), "not a summary row: \(described)\n\(outcome.stdout)")
            } else {
                #expect(!outcome.stdout.isEmpty, "no summary: \(described)")
            }
            if let out {
                let manifest = try Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))
                #expect(try JSONSerialization.jsonObject(with: manifest) is [String: Any], "manifest: \(described)")
                let table = invocation.command == "vanish" ? "vanish.csv" : "metrics.csv"
                let rows = csv(try String(contentsOfFile: out + "/" + table, encoding: .utf8))
                #expect(rows.count >= 2 && rows.allSatisfy { $0.count == rows[0].count }, "\(table): \(described)")
                try RangeChecks.directory(out, described)
            }
            #expect(!words(outcome.stdout).contains("nan"), "NaN in the summary: \(described)\n\(outcome.stdout)")
        }
    }

    /// The records of `evaluate` and `dimension`: in JSON and CSV every record is a number in its
    /// metric's range or refused (value null or empty); exit 70 comes with at least one refusal and 0
    /// with none; text lines carry no NaN.
    static func metrics(_ invocation: Invocation, outcome: CommandLineRunner.Outcome, refusalExpected: Bool) throws {
        let described = invocation.description
        var refused = 0, records = 0
        switch invocation.value(of: "--format") ?? "text" {
        case "json":
            for line in outcome.stdout.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(described)")
                records += 1
                if object["refused"] as? Bool == true {
                    refused += 1
                    #expect(object["value"] is NSNull, "a refused record with a value: \(described)")
                } else {
                    RangeChecks.metric(object["metric"] as? String ?? "", object["value"] as? Double ?? .nan,
                                       stderr: object["stderr"] as? Double, described)
                }
            }
        case "csv":
            let rows = csv(outcome.stdout)
            let header = try #require(rows.first, "no CSV: \(described)")
            let metric = try #require(header.firstIndex(of: "metric")), value = try #require(header.firstIndex(of: "value"))
            let error = try #require(header.firstIndex(of: "stderr")), flag = try #require(header.firstIndex(of: "refused"))
            for row in rows.dropFirst() {
                #expect(row.count == header.count, "ragged CSV: \(described)")
                guard row.count == header.count else { continue }
                records += 1
                if row[flag] == "true" {
                    refused += 1
                    #expect(row[value].isEmpty, "a refused row with a value: \(described)")
                } else {
                    RangeChecks.metric(row[metric], Double(row[value]) ?? .nan, stderr: row[error].isEmpty ? nil : Double(row[error]) ?? .nan, described)
                }
            }
        default:
            #expect(!words(outcome.stdout).contains("nan") && !outcome.stdout.contains("inf"), "text: \(described)\n\(outcome.stdout)")
            return
        }
        if refusalExpected { #expect(refused >= 1, "exit 70 without a refused record: \(described)") }
        else { #expect(refused == 0 && records >= 1, "exit 0 with \(refused) refused of \(records) records: \(described)") }
    }

    /// A run's summary as CSV: a snake_case header and one row of the same width, no `nan` cell.
    static func summaryRow(_ text: String) -> Bool {
        let rows = csv(text)
        return rows.count == 2 && rows[0].count == rows[1].count
            && rows[0].allSatisfy { $0.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil }
            && !rows[1].contains { $0.lowercased() == "nan" }
    }

    /// RFC 4180 rows: cells split at commas outside double quotes, `""` inside quotes is one quote.
    static func csv(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var characters = text.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { cell.append("\"") } else {
                            quoted = false
                            if next == "," { row.append(cell); cell = "" } else if next == "\n" { row.append(cell); rows.append(row); row = []; cell = "" } else { cell.append(next) }
                        }
                    } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" && cell.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(cell); cell = ""
            } else if c == "\n" {
                row.append(cell); rows.append(row); row = []; cell = ""
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }

    static func words(_ text: some StringProtocol) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    static func trajectory(_ text: String) -> Bool {
        let rows = csv(text)
        return rows.first == ["step", "theta", "psi", "distance"] && rows.count > 1
            && rows.dropFirst().allSatisfy { $0.count == 4 && $0.allSatisfy { Double($0) != nil } }
    }
}

/// The ranges every printed number must lie in (issue 13): a value outside is a wrong number.
enum RangeChecks {
    static let log2 = 0.6931471805599453

    /// One divergence value by its kind ("js", "kl", "w1", "w2").
    static func divergence(_ kind: String, _ value: Double, stderr: Double, _ described: String) {
        #expect(!value.isNaN, "NaN value: \(described)")
        #expect(stderr.isFinite && stderr >= 0, "stderr \(stderr): \(described)")
        switch kind.lowercased() {
        case "js": #expect(value >= 0 && value <= log2 * (1 + 1e-12), "JS = \(value) outside [0, log 2]: \(described)")
        case "kl": #expect(value >= 0, "KL = \(value) < 0: \(described)")
        default: #expect(value.isFinite && value >= 0, "\(kind) = \(value): \(described)")
        }
    }

    /// One metric of evaluate or dimension by its key: finite, in its range, with a finite
    /// non-negative standard error or none (nil).
    static func metric(_ key: String, _ value: Double, stderr: Double?, _ described: String) {
        #expect(value.isFinite, "\(key) = \(value): \(described)")
        if let stderr { #expect(stderr.isFinite && stderr >= 0, "\(key) stderr \(stderr): \(described)") }
        switch key {
        case "precision", "recall", "coverage", "high_quality_fraction":
            #expect(value >= 0 && value <= 1, "\(key) = \(value) outside [0, 1]: \(described)")
        case "density", "frechet_distance", "w1", "w2", "sliced_w2", "modes_covered":
            #expect(value >= 0, "\(key) = \(value) < 0: \(described)")
        case "dimension_twonn", "dimension_mle":
            #expect(value > 0, "\(key) = \(value) ≤ 0: \(described)")
        case "inception_score":
            #expect(value >= 1 - 1e-9, "IS = \(value) < 1: \(described)")
        case "js_lower_bound":
            #expect(value <= log2 * (1 + 1e-9), "JS bound = \(value) > log 2: \(described)")
        default: break  // kid and mmd: unbiased, may be slightly negative
        }
    }

    /// `JS(p‖q) = 0.693147 ± … nats (…) [method]`: the symbol and the number after " = ".
    static func textLine(_ line: String, _ described: String) {
        guard let open = line.firstIndex(of: "("), let equals = line.range(of: " = ") else { return }
        let kind = String(line[..<open])
        let number = line[equals.upperBound...].prefix { !$0.isWhitespace }
        let value = number == "∞" ? Double.infinity : Double(number) ?? .nan
        divergence(kind, value, stderr: 0, described)
    }

    /// Every CSV and JSON file of a run directory: no NaN or ∞ anywhere, accuracies and fractions
    /// in [0, 1], JS columns in [0, log 2]; JSON files parse (RFC 8259 has no NaN).
    static func directory(_ path: String, _ described: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            let file = path + "/" + name
            if name.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file)))) != nil,
                        "\(name) is not valid JSON: \(described)")
            }
            guard name.hasSuffix(".csv") else { continue }
            let rows = OutputChecks.csv(try String(contentsOfFile: file, encoding: .utf8))
            guard let header = rows.first else { continue }
            for row in rows.dropFirst() where row.count == header.count {
                for (column, cell) in zip(header, row) {
                    let lowered = cell.lowercased()
                    #expect(!["nan", "-nan", "inf", "-inf", "+inf", "infinity"].contains(lowered),
                            "\(name) column \(column) holds \(cell): \(described)")
                    guard let value = Double(cell) else { continue }
                    if column.contains("acc") || column.contains("fraction") {
                        #expect(value >= 0 && value <= 1, "\(name) \(column) = \(value): \(described)")
                    }
                    if column.hasSuffix("js") {
                        #expect(value >= 0 && value <= log2 * (1 + 1e-9), "\(name) \(column) = \(value): \(described)")
                    }
                    // D's bound (log 4 + V(D))/2 may be negative for a poor D (still a true bound),
                    // but V(D) ≤ 0 keeps it at most log 2.
                    if column == "js_lower_bound" {
                        #expect(value <= log2 * (1 + 1e-9), "\(name) \(column) = \(value): \(described)")
                    }
                }
            }
        }
    }
}
