/// One dependency `GET /health/ready` waits for (database pool, broker connection…): it passes by returning and
/// fails by throwing; the error's description is shown as the reason, so say what is wrong without secrets.
public struct ReadinessCheck: Sendable {
    /// Short name shown in the readiness report, e.g. `postgres`, `kafka`.
    public var name: String
    public var check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}
