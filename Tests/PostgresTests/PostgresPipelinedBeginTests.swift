import Postgres
import TestSupport
import Testing

/// A transaction's BEGIN goes to the server with its first statement: the cases that path must get right.
@Suite("Transactions begun with their first statement")
struct PostgresPipelinedBeginTests {
    @Test func theIsolationLevelAppliesWhetherTheFirstStatementHasParametersOrNot() async throws {
        let pool = try adminPool(maxConnections: 1)
        defer { Task { await pool.close() } }
        let withParameters = try await pool.transaction(isolation: .serializable) { connection in
            try await connection.query("SELECT current_setting('transaction_isolation') AS level, \(1) AS one")
                .first?.decode("level", as: String.self)
        }
        #expect(withParameters == "serializable")
        let without = try await pool.transaction(isolation: .repeatableRead) { connection in
            try await connection.query("SELECT current_setting('transaction_isolation') AS level")
                .first?.decode("level", as: String.self)
        }
        #expect(without == "repeatable read")
    }

    @Test func aFailingFirstStatementRollsBackAndTheConnectionServesTheNext() async throws {
        let scratch = try await ScratchSchema.make(maxConnections: 1)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).item (id int PRIMARY KEY)")
        try await pool.query("INSERT INTO \(identifier: schema).item VALUES (\(1))")
        // A constraint failure in an already prepared statement, and a statement that cannot be prepared.
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { try await $0.query("INSERT INTO \(identifier: schema).item VALUES (\(1))") }
        }
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { try await $0.query("SELECT no_such_column FROM \(identifier: schema).item WHERE id = \(1)") }
        }
        try await pool.transaction { connection in
            try await connection.query("INSERT INTO \(identifier: schema).item VALUES (\(2))")
            try await connection.query("INSERT INTO \(identifier: schema).item VALUES (\(3))")
        }
        let count = try await pool.query("SELECT count(*)::int8 AS n FROM \(identifier: schema).item WHERE id > \(0)")
        #expect(try count.first?.decode("n", as: Int.self) == 3)
    }

    @Test func aStatementThatWentStaleIsPreparedAgainInsideTheTransaction() async throws {
        let scratch = try await ScratchSchema.make(maxConnections: 1)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).item (id int PRIMARY KEY)")
        let read: PostgresQuery = "SELECT * FROM \(identifier: schema).item WHERE id > \(0)"
        try await pool.transaction { _ = try await $0.query(read) }
        try await pool.query("ALTER TABLE \(identifier: schema).item ADD COLUMN name text")
        try await pool.query("INSERT INTO \(identifier: schema).item VALUES (\(1), \("外墙保温材料"))")
        let rows = try await pool.transaction { connection in
            let rows = try await connection.query(read)
            try await connection.query("INSERT INTO \(identifier: schema).item VALUES (\(2), \("门窗"))")
            return rows
        }
        #expect(try rows.first?.decode("name", as: String.self) == "外墙保温材料")
        let count = try await pool.query("SELECT count(*)::int8 AS n FROM \(identifier: schema).item WHERE id > \(0)")
        #expect(try count.first?.decode("n", as: Int.self) == 2, "the transaction after the stale statement committed")
    }

    @Test func aTransactionWithoutStatementsCommitsAndRunsItsHooks() async throws {
        let pool = try adminPool(maxConnections: 1)
        defer { Task { await pool.close() } }
        let record = PostgresCommitHookTests.Record()
        try await pool.transaction { connection in
            connection.afterCommit { record.ran.withLock { $0.append("empty") } }
        }
        #expect(record.ran.withLock { $0 } == ["empty"])
        #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
    }
}
