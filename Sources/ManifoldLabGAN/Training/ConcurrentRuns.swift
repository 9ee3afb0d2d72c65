import Foundation
import ManifoldLabCore

/// Runs jobs 0..<count on up to `jobs` threads (one job per thread at a time), each result kept at
/// its own index, so the results do not depend on the thread count. After a signal no new job starts.
/// `body` returns nil for a job that a signal cut short (it is not kept); `progress` gets (done, count).
func runConcurrently<Result: Sendable>(count: Int, jobs: Int, progress: (@Sendable (Int, Int) -> Void)?,
                                       _ body: @Sendable (Int) -> Result?) -> [Result?] {
    let box = ResultBox<Result>(count: count)
    let workers = max(1, min(jobs, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var index = worker
        while index < count, Interruption.received == nil {
            if let result = body(index) {
                let done = box.store(result, at: index) // not inside `progress?(…)`: skipped when progress is nil
                progress?(done, count)
            }
            index += workers
        }
    }
    return box.results
}

/// Results filled in by concurrent workers, each at its own index.
private final class ResultBox<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [Result?]
    private var done = 0

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// Stores a result and returns how many are done.
    func store(_ result: Result, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
        done += 1
        return done
    }
}
