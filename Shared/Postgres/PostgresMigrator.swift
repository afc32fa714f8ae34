import Logging

/// One versioned change to a service's schema. Released migrations are never edited: a new version is added.
public struct PostgresMigration: Sendable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a of the SQL text, recorded so that an edited released migration is noticed.
    var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Applies a service's migrations to its own schema, each version once.
///
/// All of it runs in one transaction holding a transaction-level advisory lock keyed on the schema, so
/// replicas starting together apply the migrations once between them and the others see them applied. The pool's
/// lock and statement timeouts do not apply to it.
public struct PostgresMigrator: Sendable {
    public var schema: String
    public var migrations: [PostgresMigration]
    let logger: Logger

    public init(schema: String, migrations: [PostgresMigration], logger: Logger) {
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    public struct ChecksumMismatch: Error, CustomStringConvertible {
        public var schema: String
        public var version: Int
        public var description: String {
            "migration \(version) of schema \(schema) was changed after it was applied; add a new migration instead"
        }
    }

    /// Applies what is missing; returns the versions applied by this call (empty when up to date).
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        let versions = Set(migrations.map(\.version))
        precondition(versions.count == migrations.count, "duplicate migration versions in schema \(schema)")
        return try await pool.transaction { connection in
            // A replica waits as long as another one's migrations take, and a migration runs as long as it needs:
            // the pool's lock and statement timeouts are for the service's own work, not for this.
            try await connection.query("""
                SELECT set_config('lock_timeout', '0', true), set_config('statement_timeout', '0', true),
                    pg_advisory_xact_lock(hashtext(\("gbm.migrations." + schema)))
                """)
            let exists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)")
            if exists.isEmpty {
                try await connection.query("CREATE SCHEMA \(identifier: schema)")
            }
            try await connection.query("SET LOCAL search_path TO \(identifier: schema), public")
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS \(identifier: schema).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let appliedRows = try await connection.query(
                "SELECT version, checksum FROM \(identifier: schema).schema_migrations")
            var applied: [Int: String] = [:]
            for row in appliedRows.rows {
                applied[try row.decode("version", as: Int.self)] = try row.decode("checksum", as: String.self)
            }
            var newlyApplied: [Int] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw ChecksumMismatch(schema: schema, version: migration.version)
                    }
                    continue
                }
                try await connection.execute(migration.sql)
                try await connection.query("""
                    INSERT INTO \(identifier: schema).schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
                logger.info("applied migration", metadata: [
                    "db.schema": "\(schema)", "migration.version": "\(migration.version)",
                    "migration.name": "\(migration.name)",
                ])
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
