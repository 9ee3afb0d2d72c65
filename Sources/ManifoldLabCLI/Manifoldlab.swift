import ArgumentParser
import Foundation
import ManifoldLabCore
import ManifoldLabGAN

/// The root command: lists the subcommands and turns every error into one line on stderr.
public struct Manifoldlab: ParsableCommand {
    public init() {}

    /// The process: fast OpenBLAS kernels, one BLAS thread, SIGQUIT as SIGTERM, flags in messages,
    /// then parse, run, exit.
    public static func start() -> Never {
        // OpenBLAS picks its kernels before `main`; on CPUs it does not recognise it falls back to slow
        // generic ones, so restart once with the right kernel family in the environment.
        OpenBLASStartup.ensureFastKernels()
        BLASBackend.setThreads(1)
        // SIGQUIT ends a command as SIGTERM does, never with the runtime's crash backtrace.
        Signals.installQuitAsTerminate()
        // The library's messages name parameters; on the command line they are flags.
        ParameterSpelling.use(ManifoldLabError.commandLineSpelling)
        runAndExit()
    }

    public static let configuration = CommandConfiguration(
        commandName: "manifoldlab",
        abstract: "Measure why GANs are hard to train: divergences between distributions on manifolds in R^D.",
        discussion: """
        Real and generated data lie on low-dimensional manifolds whose supports almost never overlap:
        then JS divergence is stuck at log 2 and KL is infinite whatever their distance, while the
        Wasserstein distance still measures it; instance noise N(0, σ²I) makes the supports overlap.
        Every command is deterministic for a given --seed and writes CSV or JSON for scripts.
        """,
        version: ManifoldLabVersion.string,
        subcommands: [SampleCommand.self, JSCommand.self, KLCommand.self, WassersteinCommand.self,
                      DivergencesCommand.self, DiracCommand.self, TrainToyCommand.self, VanishCommand.self,
                      CompareTechniquesCommand.self, SemiSupervisedCommand.self, WalkCommand.self, EvaluateCommand.self, DimensionCommand.self,
                      SweepCommand.self]
    )

    /// Parses, runs, and exits: 0 on success, 64 for usage errors, the error's own status otherwise,
    /// always with exactly one line on stderr for a failure.
    static func runAndExit() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            PendingNotes.flush()
            Foundation.exit(0)
        } catch let error as ManifoldLabError {
            fail(oneLine(error.description), status: error.exitStatus)
        } catch let error as GSLError {
            fail(oneLine(error.description), status: 70)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            fail(message(for: error), status: status.rawValue == 1 ? 64 : status.rawValue)
        }
    }

    /// Our own messages are one line by construction; a newline in them comes from a value (a file
    /// name may hold one) and is shown as \n, so that the line stays whole.
    static func oneLine(_ message: String) -> String { message.replacingOccurrences(of: "\n", with: "\\n") }

    /// Prints the first line of `message` (argument-parser errors add usage lines) and exits.
    static func fail(_ message: String, status: Int32) -> Never {
        let lines = message.split(separator: "\n").map(String.init)
        var line = lines.first ?? "failed"
        // The parser lists many allowed values one per line ("- helix"): keep them, on this line.
        if line.hasSuffix("one of the following:") {
            let values = lines.dropFirst().prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
                .map { "'" + $0.trimmingCharacters(in: .whitespaces).dropFirst(2) + "'" }
            if !values.isEmpty { line = String(line.dropLast(" the following:".count)) + " " + values.joined(separator: ", ") + "." }
        }
        let cleaned = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
        FileHandle.standardError.write(Data("manifoldlab: error: \(cleaned)\n".utf8))
        Foundation.exit(status)
    }
}
