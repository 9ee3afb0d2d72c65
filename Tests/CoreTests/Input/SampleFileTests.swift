import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Sample files: what is read, what is refused")
struct SampleFileTests {
    @Test("a BOM, CRLF line ends, spaces and a trailing newline are accepted")
    func tolerant() throws {
        let points = try SampleFile.parse("\u{FEFF}x1,x2\r\n1, 2\r\n3,4.5\r\n\r\n", path: "a.csv")
        #expect(points == Matrix(rows: 2, columns: 2, storage: [1, 2, 3, 4.5]))
    }

    static let malformed: [(String, String)] = [
        ("", "empty"),
        ("x1,x2\n", "no data rows"),
        ("x1,x2\n1,2\n3\n", "a.csv:3: 1 values where the header has 2 columns"),
        ("x1,x2\n1,abc\n", "a.csv:2: 'abc' is not a number"),
        ("x1,x2\n1,nan\n", "a.csv:2: 'nan' is not finite"),
        ("x1,x2\n1,inf\n", "a.csv:2: 'inf' is not finite"),
        ("x1,x2\n1,2\n\n3,4\n", "a.csv:3: empty row"),
    ]

    @Test("malformed files are refused with the file, the line and the problem", arguments: malformed)
    func malformedFiles(text: String, message: String) {
        #expect {
            _ = try SampleFile.parse(text, path: "a.csv")
        } throws: { error in
            (error as? ManifoldLabError)?.description.contains(message) == true && (error as! ManifoldLabError).kind == .badInput
        }
    }

    static func write(_ points: Matrix<Double>, _ name: String) throws -> String {
        let path = TestFiles.temporaryDirectory().appendingPathComponent(name).path
        var text = ""
        points.writeCSV { text += $0 }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("smoothed JS of two sample files that differ by θ along an axis they have no spread in = 1-D JS(θ/σ)")
    func smoothedFiles() throws {
        let rng = RandomStream(seed: Seed(2))
        var a = Matrix<Double>(rows: 300, columns: 3), b = a
        for i in 0..<300 {
            a[i, 1] = rng.gaussian(); a[i, 2] = rng.uniform()
            b[i, 1] = a[i, 1]; b[i, 2] = a[i, 2]; b[i, 0] = 0.4
        }
        let request = DivergenceRequest(p: .file(path: try Self.write(a, "a.csv")), q: .file(path: try Self.write(b, "b.csv")),
                                        noise: 0.2, count: 20_000, method: .smoothed)
        let js = try DivergenceEngine.run(request, kinds: [.js])[0]
        #expect(abs(js.value - Reference.gaussianShiftJS(2)) <= 3 * js.stderr + 1e-3)
        #expect(js.dim == 3)
        // Symmetry: swapping the files gives the same JS within the errors.
        let swapped = try DivergenceEngine.run(DivergenceRequest(p: request.q, q: request.p, noise: 0.2, count: 20_000,
                                                                 method: .smoothed), kinds: [.js])[0]
        #expect(abs(js.value - swapped.value) <= 3 * (js.stderr + swapped.stderr))
    }

    @Test("files of different dimensions, a --dim that contradicts a file, one-point files: refused")
    func mismatches() throws {
        let two = try Self.write(Matrix(rows: 3, columns: 2, storage: [0, 0, 1, 1, 2, 2]), "two.csv")
        let three = try Self.write(Matrix(rows: 3, columns: 3, storage: Array(repeating: 0.5, count: 9)), "three.csv")
        let one = try Self.write(Matrix(rows: 1, columns: 2, storage: [0, 0]), "one.csv")
        #expect(throws: ManifoldLabError.self) { _ = try DivergenceEngine.run(DivergenceRequest(p: .file(path: two), q: .file(path: three), noise: 0.1), kinds: [.js]) }
        #expect(throws: ManifoldLabError.self) { _ = try DivergenceEngine.run(DivergenceRequest(p: .file(path: two), q: .file(path: two), dimension: 5, noise: 0.1), kinds: [.js]) }
        #expect(throws: ManifoldLabError.self) { _ = try DivergenceEngine.run(DivergenceRequest(p: .file(path: one), q: .file(path: two), noise: 0.1), kinds: [.js]) }
        #expect(throws: ManifoldLabError.self) { _ = try DivergenceEngine.run(DivergenceRequest(p: .file(path: "/nonexistent.csv"), q: .file(path: two)), kinds: [.js]) }
    }
}
