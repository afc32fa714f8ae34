import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("Session timeouts and error classification")
struct PostgresTimeoutTests {
    /// A pool whose connections have the given statement and lock timeouts.
    private func pool(statementTimeout: Duration?, lockTimeout: Duration? = .seconds(10)) throws -> PostgresPool {
        let env = try TestEnvironment.current()
        var configuration = PostgresConfiguration(
            host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
            user: env.postgresAdminUser, password: env.postgresAdminPassword, maxConnections: 2,
            applicationName: "gbm-tests")
        configuration.statementTimeout = statementTimeout
        configuration.lockTimeout = lockTimeout
        return PostgresPool(configuration: configuration, logger: Logger(label: "test"))
    }

    @Test func aStatementRunningLongerThanTheStatementTimeoutIsCancelledAndTheConnectionStaysUsable() async throws {
        let pool = try pool(statementTimeout: .milliseconds(300))
        defer { Task { await pool.close() } }
        do {
            try await pool.query("SELECT pg_sleep(60)")
            Issue.record("a minute-long statement finished despite a 300 ms statement_timeout")
        } catch let error as PostgresError {
            #expect(error.sqlState == "57014", "query_canceled: \(error)")
            #expect(!error.isInfrastructureFailure, "the same statement would time out again: not an outage")
        }
        let settings = try await pool.query("""
            SELECT current_setting('statement_timeout') AS statement,
                current_setting('lock_timeout') AS lock,
                current_setting('idle_in_transaction_session_timeout') AS idle
            """)
        #expect(try settings.first?.decode("statement", as: String.self) == "300ms")
        #expect(try settings.first?.decode("lock", as: String.self) == "10s", "as configured")
        #expect(try settings.first?.decode("idle", as: String.self) == "1min")
    }

    @Test func aConnectionRefusedOrAPoolTimeoutIsAnOutageAndAConstraintViolationIsNot() async throws {
        let refused = PostgresPool(
            configuration: PostgresConfiguration(
                port: try freeLoopbackPort(), database: "gbm", user: "nobody", password: "x", maxConnections: 1),
            logger: Logger(label: "test"))
        defer { Task { await refused.close() } }
        do {
            try await refused.query("SELECT 1")
            Issue.record("a server that is not there answered")
        } catch let error as PostgresError {
            #expect(error.isInfrastructureFailure, "\(error)")
        }
        #expect(PostgresError(kind: .pool, message: "no connection").isInfrastructureFailure)
        for sqlState in ["08006", "57P01", "57P03", "40001", "40P01", "53300"] {
            #expect(PostgresError(kind: .server, message: "", sqlState: sqlState).isInfrastructureFailure, "\(sqlState)")
        }
        for sqlState in ["23505", "23514", "42P01", "57014", "22P02"] {
            #expect(!PostgresError(kind: .server, message: "", sqlState: sqlState).isInfrastructureFailure, "\(sqlState)")
        }
    }
}
