import Foundation

/// The running local infrastructure the integration tests talk to, as `deploy/local/infra.sh env` exports it.
///
/// Integration tests need a real PostgreSQL and a real Kafka-protocol broker; `deploy/local/test.sh` starts both
/// and exports these variables. A test run without them fails loudly instead of skipping.
public struct TestEnvironment: Sendable {
    public var postgresHost: String
    public var postgresPort: Int
    public var postgresDatabase: String
    public var postgresAdminUser: String
    public var postgresAdminPassword: String
    public var kafkaBrokers: String
    public var kafkaSessionTimeoutMs: Int
    public var kafkaFetchWaitMaxMs: Int
    /// Where the infrastructure keeps its state (pid files, logs).
    public var localDirectory: String

    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: run the tests with deploy/local/test.sh, which starts PostgreSQL and the broker"
        }
    }

    public static func current() throws -> TestEnvironment {
        let env = ProcessInfo.processInfo.environment
        func value(_ name: String) throws -> String {
            guard let v = env[name], !v.isEmpty else { throw Missing(variable: name) }
            return v
        }
        return TestEnvironment(
            postgresHost: try value("GBM_PG_HOST"),
            postgresPort: Int(try value("GBM_PG_PORT")) ?? 5432,
            postgresDatabase: try value("GBM_PG_DATABASE"),
            postgresAdminUser: try value("GBM_PG_ADMIN_USER"),
            postgresAdminPassword: try value("GBM_PG_ADMIN_PASSWORD"),
            kafkaBrokers: try value("GBM_KAFKA_BROKERS"),
            kafkaSessionTimeoutMs: Int(env["GBM_KAFKA_SESSION_TIMEOUT_MS"] ?? "") ?? 6000,
            kafkaFetchWaitMaxMs: Int(env["GBM_KAFKA_FETCH_WAIT_MAX_MS"] ?? "") ?? 10,
            localDirectory: env["GBM_LOCAL_DIR"] ?? ".local"
        )
    }

    /// The password of a service's own login role (`gbm_<schema>`), as deploy/sql/bootstrap.sh set it.
    public func servicePassword(schema: String) -> String {
        ProcessInfo.processInfo.environment["GBM_\(schema.uppercased())_DB_PASSWORD"] ?? "\(schema)-local"
    }
}

/// A name no other test (or earlier run against the same broker) uses: topics, groups, schemas.
public func uniqueName(_ prefix: String) -> String {
    let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    return "\(prefix)_\(suffix)"
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(
    timeout: Duration = .seconds(30),
    every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// Sends a signal to the process whose pid is in `<localDirectory>/<name>.pid` (e.g. "tansu", "pg").
public func signalInfrastructure(_ name: String, _ signal: Int32, environment: TestEnvironment) throws {
    let path = "\(environment.localDirectory)/\(name).pid"
    let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    guard let pid = Int32(text) else { throw TestEnvironment.Missing(variable: path) }
    kill(pid, signal)
}

/// A value several tasks of a test update together.
public final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    public var current: Value { withLock { $0 } }
}
