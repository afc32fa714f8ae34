import Postgres
import TestSupport
import Testing

/// The messaging tests run as service roles (``ServiceRole``); this checks that such a role is what a service's is:
/// everything in its own schema, nothing of any kind in another's, and no new objects outside its own.
@Suite("Messaging tests run as service roles")
struct ServiceRoleTests {
    static func refused(_ pool: PostgresPool, _ sql: String) async -> Bool {
        do {
            try await pool.query(PostgresQuery(unsafeSQL: sql))
            return false
        } catch {
            return (error as? PostgresError)?.isInsufficientPrivilege == true
        }
    }

    @Test func aSchemasRoleDoesAnythingInItsOwnSchemaAndNothingInAnothers() async throws {
        let mine = try await TestSchema.make()
        let theirs = try await TestSchema.make()
        defer { Task { await mine.drop(); await theirs.drop() } }
        let pool = mine.pool

        // Its own: reads, writes and DDL, without naming the schema (its search path).
        try await pool.query("INSERT INTO probe_effect (probe_id, applied) VALUES ('own', 1)")
        try await pool.query("UPDATE probe_effect SET applied = 2 WHERE probe_id = 'own'")
        try await pool.query("DELETE FROM probe_effect WHERE probe_id = 'own'")
        try await pool.query("CREATE TABLE scratch (i int)")
        try await pool.query("DROP TABLE scratch")

        for table in ["outbox", "outbox_payload", "outbox_published", "inbox", "probe_effect", "schema_migrations"] {
            let name = "\(quoteIdentifier(theirs.name)).\(quoteIdentifier(table))"
            for sql in [
                "SELECT 1 FROM \(name) LIMIT 1", "INSERT INTO \(name) DEFAULT VALUES", "UPDATE \(name) SET ctid = ctid",
                "DELETE FROM \(name)", "TRUNCATE \(name)", "ALTER TABLE \(name) ADD COLUMN intruder int",
                "DROP TABLE \(name)",
            ] {
                #expect(await Self.refused(pool, sql), "\(mine.role.role): \(sql)")
            }
        }
        #expect(await Self.refused(pool, "CREATE TABLE \(quoteIdentifier(theirs.name)).intruder (i int)"))
        #expect(await Self.refused(pool, "CREATE TABLE public.intruder (i int)"))
        #expect(await Self.refused(pool, "CREATE SCHEMA intruder"))
        #expect(await Self.refused(pool, "DROP SCHEMA \(quoteIdentifier(theirs.name)) CASCADE"))
        #expect(await Self.refused(pool, "CREATE ROLE intruder"))
    }
}
