import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("Commit hooks")
struct PostgresCommitHookTests {
    /// Which hooks ran, in order.
    final class Record: Sendable {
        let ran = Mutex<[String]>([])
    }

    @Test func hooksRunAfterTheCommitAndNeverAfterARollback() async throws {
        // One connection: every transaction below runs on the same one.
        let scratch = try await ScratchSchema.make(maxConnections: 1)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).item (id int PRIMARY KEY)")
        let record = Record()
        await #expect(throws: PostgresTransactionTests.Boom.self) {
            try await pool.transaction { connection in
                try await connection.query("INSERT INTO \(identifier: schema).item VALUES (1)")
                connection.afterCommit { record.ran.withLock { $0.append("rolled-back") } }
                throw PostgresTransactionTests.Boom()
            }
        }
        try await pool.transaction { connection in
            try await connection.query("INSERT INTO \(identifier: schema).item VALUES (2)")
            connection.afterCommit { record.ran.withLock { $0.append("committed") } }
            #expect(record.ran.withLock { $0 }.isEmpty, "nothing runs before the commit")
        }
        #expect(record.ran.withLock { $0 } == ["committed"])
        // Outside a transaction the statement has already committed: the hook runs at once.
        try await pool.withConnection { connection in
            try await connection.query("INSERT INTO \(identifier: schema).item VALUES (3)")
            connection.afterCommit { record.ran.withLock { $0.append("autocommit") } }
        }
        #expect(record.ran.withLock { $0 } == ["committed", "autocommit"])
        // A later transaction on the same connection does not run an earlier rolled-back one's hooks.
        try await pool.transaction { _ in }
        #expect(record.ran.withLock { $0 } == ["committed", "autocommit"])
    }
}
