import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN

@Suite("JS and KL: right or refused, end to end")
struct TrustCLITests {
    @Test("the issue's command lines: log 2 for uniform vs gaussian in R^100, exit 70 for kNN's −0.2, KL = 2 at 1e-50, ∞ for turned planes")
    func issueCommandLines() throws {
        let uniform = try CommandLineRunner.run(["js", "--p", "uniform", "--q", "gaussian", "--scale", "0.01", "--dim", "100", "--n", "2048"])
        #expect(uniform.status == 0)
        #expect(uniform.stdout.hasPrefix("JS(uniform‖gaussian) = 0.693147") && uniform.stdout.contains("[smoothed"))
        let knn = try CommandLineRunner.run(["js", "--p", "gaussian", "--q", "gaussian", "--same-frame", "--dim", "100", "--method", "knn", "--n", "1000"])
        #expect(knn.status == 70 && knn.stdout.isEmpty && knn.stderrLines.count == 1)
        #expect(knn.stderr.contains("bias dominates"))
        let tiny = try CommandLineRunner.run(["kl", "--p", "line", "--q", "line", "--same-frame", "--offset", "2e-50", "--noise", "1e-50",
                                             "--n", "4096", "--format", "json"])
        #expect(tiny.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(tiny.stdout.utf8)) as! [String: Any]
        #expect(abs((object["value"] as! Double) - 2) < 0.01)
        let planes = try CommandLineRunner.run(["kl", "--p", "plane", "--q", "plane", "--same-frame", "--angle", "10", "--method", "knn", "--n", "2000"])
        #expect(planes.status == 0 && planes.stdout.hasPrefix("KL(plane‖plane) = ∞"))
    }
}
