import Logging
import Messaging
import Postgres

/// The run's two schemas and what the count reads: the writer's outbox (`faults_outbox`) and the consumer's inbox
/// with its effect table (`faults_inbox.applied`: one row per probe the handler applied, numbered in the order the
/// consumer applied them).
struct FaultRunLedger: Sendable {
    let pool: PostgresPool
    let events: Int
    let keys: Int

    /// What reached the inbox, counted per key.
    struct Outcome {
        var appliedRows = 0
        var lost = 0
        var lostKeys = 0
        var appliedTwice = 0
        var appliedTwiceKeys = 0
        var outOfOrder = 0
        var outOfOrderKeys = 0
        /// Probes applied that the writer never wrote (a sequence beyond the key's last).
        var unexpected = 0
    }

    /// Both schemas afresh, migrated as a service's would be.
    func prepare(logger: Logger) async throws {
        for schema in [FaultRunSettings.outboxSchema, FaultRunSettings.inboxSchema] {
            try await pool.query("DROP SCHEMA IF EXISTS \(identifier: schema) CASCADE")
        }
        try await PostgresMigrator(
            schema: FaultRunSettings.outboxSchema, migrations: MessagingMigrations.all, logger: logger
        ).migrate(pool)
        try await PostgresMigrator(
            schema: FaultRunSettings.inboxSchema,
            migrations: MessagingMigrations.all + [
                PostgresMigration(version: 100, name: "applied probes", sql: """
                    CREATE TABLE applied (
                        n bigserial PRIMARY KEY,
                        key text NOT NULL,
                        seq bigint NOT NULL,
                        ce_id text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
                    );
                    """),
            ],
            logger: logger
        ).migrate(pool)
    }

    /// Rows in the effect table (a probe applied twice counts twice).
    func appliedRows() async throws -> Int {
        try await pool.query("SELECT count(*)::int8 AS n FROM \(identifier: FaultRunSettings.inboxSchema).applied")
            .rows.first?.decode("n", as: Int.self) ?? 0
    }

    /// Distinct probes applied.
    func distinctApplied() async throws -> Int {
        try await pool.query("""
            SELECT count(*)::int8 AS n FROM (SELECT DISTINCT key, seq FROM \(identifier: FaultRunSettings.inboxSchema).applied) AS d
            """).rows.first?.decode("n", as: Int.self) ?? 0
    }

    /// Per key: lost (a sequence number the writer wrote that was never applied), applied twice (one sequence number
    /// applied more than once), out of order (applied after a later sequence number of its key had been).
    func outcome() async throws -> Outcome {
        let schema = FaultRunSettings.inboxSchema
        var outcome = Outcome()
        outcome.appliedRows = try await appliedRows()
        let twice = try await pool.query("""
            SELECT coalesce(sum(c - 1), 0)::int8 AS extra, count(DISTINCT key)::int8 AS keys
            FROM (SELECT key, count(*) AS c FROM \(identifier: schema).applied GROUP BY key, seq HAVING count(*) > 1) AS g
            """).rows[0]
        outcome.appliedTwice = try twice.decode("extra", as: Int.self)
        outcome.appliedTwiceKeys = try twice.decode("keys", as: Int.self)
        let late = try await pool.query("""
            SELECT count(*)::int8 AS late, count(DISTINCT key)::int8 AS keys
            FROM (
                SELECT key, seq, max(seq) OVER (PARTITION BY key ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                    AS before
                FROM \(identifier: schema).applied
            ) AS t
            WHERE seq < before
            """).rows[0]
        outcome.outOfOrder = try late.decode("late", as: Int.self)
        outcome.outOfOrderKeys = try late.decode("keys", as: Int.self)
        var applied: [String: (valid: Int, unexpected: Int)] = [:]
        for row in try await pool.query("""
            SELECT key, seq FROM \(identifier: schema).applied GROUP BY key, seq
            """).rows {
            let key = try row.decode("key", as: String.self)
            let seq = try row.decode("seq", as: Int.self)
            let valid = seq >= 0 && seq < expectedCount(of: key)
            applied[key, default: (0, 0)].valid += valid ? 1 : 0
            applied[key, default: (0, 0)].unexpected += valid ? 0 : 1
        }
        for index in 0..<keys {
            let key = OutboxWriter.key(index)
            let missing = expectedCount(of: key) - (applied[key]?.valid ?? 0)
            outcome.lost += missing
            if missing > 0 { outcome.lostKeys += 1 }
        }
        outcome.unexpected = applied.values.reduce(0) { $0 + $1.unexpected }
        return outcome
    }

    /// How many events the writer writes for `key` (`k<index>`): `events / keys`, one more for the first keys.
    private func expectedCount(of key: String) -> Int {
        guard let index = Int(key.dropFirst()), index < keys else { return 0 }
        return events / keys + (index < events % keys ? 1 : 0)
    }
}
