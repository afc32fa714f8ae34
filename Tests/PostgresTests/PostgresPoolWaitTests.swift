import Logging
import Postgres
import TestSupport
import Testing

@Suite("Pool waiting")
struct PostgresPoolWaitTests {
    func onePool(acquireTimeout: Duration) throws -> PostgresPool {
        let env = try TestEnvironment.current()
        return PostgresPool(
            configuration: PostgresConfiguration(
                host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
                user: env.postgresAdminUser, password: env.postgresAdminPassword, maxConnections: 1,
                acquireTimeout: acquireTimeout, applicationName: "gbm-tests"),
            logger: Logger(label: "test"))
    }

    @Test func aWaiterGetsTheConnectionWhenItIsReleasedInTime() async throws {
        let pool = try onePool(acquireTimeout: .seconds(5))
        defer { Task { await pool.close() } }
        let (holding, nowHolding) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withConnection { _ in
                nowHolding.finish()
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        for await _ in holding {}  // the query below waits for the connection the holder has
        let value = try await pool.query("SELECT 7::int8 AS n").first?.decode("n", as: Int.self)
        #expect(value == 7)
        try await holder.value
    }

    @Test func waitersPastTheTimeoutFailAndThePoolServesLaterCallers() async throws {
        let pool = try onePool(acquireTimeout: .milliseconds(300))
        defer { Task { await pool.close() } }
        // The holder keeps the only connection until the waiters have all given up (or 30 s pass, so a
        // pool that only fails waiters on release still ends the test, and fails it below).
        let (waitersDone, finishWaiters) = AsyncStream<Void>.makeStream()
        let (holding, nowHolding) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withConnection { _ in
                nowHolding.finish()
                return try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask { for await _ in waitersDone {}; return true }
                    group.addTask { try await Task.sleep(for: .seconds(30)); return false }
                    let releasedOnSignal = try await group.next() ?? false
                    group.cancelAll()
                    return releasedOnSignal
                }
            }
        }
        for await _ in holding {}  // the only connection is taken before the waiters come
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask { (try? await pool.query("SELECT 1")) != nil }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        finishWaiters.finish()
        #expect(outcomes == [false, false, false], "each waiter fails once its timeout passes")
        #expect(try await holder.value, "they fail at their deadline, while the connection is still held")
        #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
    }
}
