import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions, row locks and the pool")
struct PostgresTransactionTests {
    struct Boom: Error {}

    @Test func commitsOnReturnAndRollsBackOnThrow() async throws {
        let scratch = try await ScratchSchema.make()
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).item (id int PRIMARY KEY)")
        _ = try await pool.transaction { try await $0.query("INSERT INTO \(identifier: schema).item VALUES (1)") }
        await #expect(throws: Boom.self) {
            try await pool.transaction { connection in
                try await connection.query("INSERT INTO \(identifier: schema).item VALUES (2)")
                throw Boom()
            }
        }
        let ids = try await pool.query("SELECT id FROM \(identifier: schema).item ORDER BY id").rows
            .map { try $0.decode("id", as: Int.self) }
        #expect(ids == [1])
    }

    @Test func retriesTheWholeTransactionAfterASerializationFailure() async throws {
        let scratch = try await ScratchSchema.make(maxConnections: 8)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).counter (id int PRIMARY KEY, n int NOT NULL)")
        try await pool.query("INSERT INTO \(identifier: schema).counter VALUES (1, 0)")
        let attempts = LockedValue(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.transaction(isolation: .serializable, maxAttempts: 50) { connection in
                        attempts.withLock { $0 += 1 }
                        let n = try #require(try await connection.query(
                            "SELECT n FROM \(identifier: schema).counter WHERE id = 1").first).decode("n", as: Int.self)
                        try await Task.sleep(for: .milliseconds(5))
                        try await connection.query("UPDATE \(identifier: schema).counter SET n = \(n + 1) WHERE id = 1")
                    }
                }
            }
            try await group.waitForAll()
        }
        let n = try #require(try await pool.query("SELECT n FROM \(identifier: schema).counter").first).decode("n", as: Int.self)
        #expect(n == 8)
        #expect(attempts.current > 8, "concurrent read-modify-write must have conflicted and retried")
    }

    @Test func skipLockedHandsEachRowToOneWorker() async throws {
        let scratch = try await ScratchSchema.make(maxConnections: 4)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).job (id int PRIMARY KEY)")
        try await pool.query("INSERT INTO \(identifier: schema).job SELECT generate_series(1, 10)")
        try await pool.transaction { first in
            let mine = try await first.query(
                "SELECT id FROM \(identifier: schema).job ORDER BY id LIMIT 4 FOR UPDATE SKIP LOCKED").rows
                .map { try $0.decode("id", as: Int.self) }
            #expect(mine == [1, 2, 3, 4])
            let theirs = try await pool.transaction { second in
                try await second.query(
                    "SELECT id FROM \(identifier: schema).job ORDER BY id LIMIT 4 FOR UPDATE SKIP LOCKED").rows
                    .map { try $0.decode("id", as: Int.self) }
            }
            #expect(theirs == [5, 6, 7, 8])
        }
    }

    /// Twelve tasks want a connection of a pool of three. The first three to get one wait until three are held at once
    /// (so the pool does open up to its bound, however slowly a loaded machine schedules them), and the server counts
    /// the pool's sessions at every step: never more than three.
    @Test(.timeLimit(.minutes(2)))
    func neverOpensMoreConnectionsThanItsBound() async throws {
        let pool = try adminPool(maxConnections: 3)
        defer { Task { await pool.close() } }
        let tag = uniqueName("bound")
        let peak = LockedValue(0)
        let holding = LockedValue((now: 0, reachedThree: false))
        let sessions: @Sendable (PostgresConnection) async throws -> Int = { connection in
            try #require(try await connection.query(
                "SELECT count(*)::int8 AS n FROM pg_stat_activity WHERE application_name = \(tag)").first)
                .decode("n", as: Int.self)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await connection.query("SELECT set_config('application_name', \(tag), false)")
                        holding.withLock { state in
                            state.now += 1
                            if state.now == 3 { state.reachedThree = true }
                        }
                        let open = try await sessions(connection)
                        peak.withLock { $0 = max($0, open) }
                        let three = await eventually(timeout: .seconds(60), every: .milliseconds(5)) {
                            holding.current.reachedThree
                        }
                        #expect(three, "three connections were held at once")
                        let after = try await sessions(connection)
                        peak.withLock { $0 = max($0, after) }
                        holding.withLock { $0.now -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.current == 3, "the pool opened exactly as many connections as its bound allows")
    }

    @Test func recoversAfterTheServerRestarts() async throws {
        let server = try LocalPostgresServer()
        defer { server.destroy() }
        let pool = PostgresPool(
            configuration: PostgresConfiguration(
                port: server.port, database: "postgres", user: "postgres", password: server.password, maxConnections: 2),
            logger: .init(label: "test"))
        defer { Task { await pool.close() } }
        try await pool.ping()
        try server.restart()
        // The first use of a connection from before the restart may fail; the pool then drops it and reconnects.
        let recovered = await eventually(timeout: .seconds(10)) { (try? await pool.ping()) != nil }
        #expect(recovered)
        try await pool.ping()
    }
}
