import Foundation

/// The body of `GET /health/ready`: overall status and the outcome of every check by name.
public struct ReadinessReport: Codable, Sendable, Equatable {
    public struct Outcome: Codable, Sendable, Equatable {
        /// `pass` or `fail`.
        public var status: String
        /// Why the check failed, as a stable code: the ``ReadinessFailure``'s code, `unavailable` for any other
        /// error, or `timed-out`.
        public var reason: String?
        /// How long the check took.
        public var durationMs: Int
        /// The error's own text, for the service's log; never in the probe's answer.
        public var detail: String? = nil

        enum CodingKeys: String, CodingKey { case status, reason, durationMs }
    }

    /// `ready` when every check passed, else `not-ready`.
    public var status: String
    public var checks: [String: Outcome]

    public var isReady: Bool { status == "ready" }

    /// Runs every check concurrently, each limited to `timeout`.
    ///
    /// A check that overruns is reported failed at the deadline and cancelled; the report does not wait for it to
    /// notice, so one stuck dependency cannot make the probe itself hang.
    public static func run(_ checks: [ReadinessCheck], timeout: Duration) async -> ReadinessReport {
        let outcomes = await withTaskGroup(of: (String, Outcome).self) { group in
            for check in checks {
                group.addTask { (check.name, await run(check, timeout: timeout)) }
            }
            var outcomes: [String: Outcome] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome }
            return outcomes
        }
        let ready = outcomes.values.allSatisfy { $0.status == "pass" }
        return ReadinessReport(status: ready ? "ready" : "not-ready", checks: outcomes)
    }

    private static func run(_ check: ReadinessCheck, timeout: Duration) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<Void, any Error>? = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let work = Task {
                do {
                    try await check.check()
                    once.resume(.success(()))
                } catch {
                    once.resume(.failure(error))
                }
            }
            once.deadline = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                once.resume(nil)
                work.cancel()
            }
        }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        switch result {
        case .success:
            return Outcome(status: "pass", reason: nil, durationMs: milliseconds)
        case .failure(let error):
            return Outcome(
                status: "fail", reason: (error as? ReadinessFailure)?.code ?? "unavailable", durationMs: milliseconds,
                detail: String(describing: error))
        case nil:
            return Outcome(status: "fail", reason: "timed-out", durationMs: milliseconds, detail: "timed out after \(timeout)")
        }
    }
}

/// Resumes a continuation exactly once, whichever of the check and its deadline finishes first, and then stops the
/// deadline's timer.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<Void, any Error>?, Never>?
    private var _deadline: Task<Void, Never>?

    init(_ continuation: CheckedContinuation<Result<Void, any Error>?, Never>) {
        self.continuation = continuation
    }

    /// The timer task; cancelled at once if the check has already finished.
    var deadline: Task<Void, Never>? {
        get { lock.withLock { _deadline } }
        set {
            let finished = lock.withLock {
                _deadline = newValue
                return continuation == nil
            }
            if finished { newValue?.cancel() }
        }
    }

    func resume(_ value: Result<Void, any Error>?) {
        let (continuation, deadline) = lock.withLock {
            defer { self.continuation = nil }
            return (self.continuation, _deadline)
        }
        guard let continuation else { return }
        continuation.resume(returning: value)
        deadline?.cancel()
    }
}
