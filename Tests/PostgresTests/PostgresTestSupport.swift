import Foundation
import Logging
import Postgres
import TestSupport

/// A pool on the shared test cluster as the superuser, with its own empty schema.
func adminPool(maxConnections: Int = 4, schema: String? = nil) throws -> PostgresPool {
    let env = try TestEnvironment.current()
    return PostgresPool(
        configuration: PostgresConfiguration(
            host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
            user: env.postgresAdminUser, password: env.postgresAdminPassword, searchPath: schema,
            maxConnections: maxConnections, applicationName: "gbm-tests"),
        logger: Logger(label: "test"))
}

/// A fresh schema on the shared cluster, dropped by `dropSchema`.
func makeSchema(_ pool: PostgresPool, prefix: String = "t") async throws -> String {
    let schema = uniqueName(prefix)
    try await pool.query("CREATE SCHEMA \(identifier: schema)")
    return schema
}

func dropSchema(_ pool: PostgresPool, _ schema: String) async {
    _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE")
}

/// A pool and a schema of its own on the shared cluster. `tearDown` drops the schema and then closes the pool:
/// two separate deferred tasks could close the pool first and leave the schema behind.
struct ScratchSchema {
    let pool: PostgresPool
    let name: String

    /// - Parameter create: false for a test that creates the schema itself (a migration does).
    static func make(maxConnections: Int = 4, prefix: String = "t", create: Bool = true) async throws -> ScratchSchema {
        let pool = try adminPool(maxConnections: maxConnections)
        return ScratchSchema(pool: pool, name: create ? try await makeSchema(pool, prefix: prefix) : uniqueName(prefix))
    }

    func tearDown() async {
        await dropSchema(pool, name)
        await pool.close()
    }
}
