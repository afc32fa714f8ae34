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
