/// One dependency `GET /health/ready` waits for (database pool, broker connection…): it passes by returning and
/// fails by throwing. The probe shows a stable reason code (a ``ReadinessFailure``'s code, else `unavailable`, or
/// `timed-out`), never the error's text: that names hosts and internals, and goes to the log instead.
public struct ReadinessCheck: Sendable {
    /// Short name shown in the readiness report, e.g. `postgres`, `kafka`.
    public var name: String
    public var check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// A readiness failure with a stable code for the probe's answer (`topic-missing`, `consumer-waiting-for-database`)
/// and a detail for the log only.
public struct ReadinessFailure: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
