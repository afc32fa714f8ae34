import Catalogue
import Complaints
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import PilotManagement
import Postgres
import Reporting
import ServiceHost
import ServiceKit
import Subsidy
import TestSupport
import Testing

let allServices: [ServiceDefinition] = [
    CatalogueService.definition, PilotManagementService.definition, SubsidyService.definition,
    ComplaintsService.definition, ReportingService.definition,
]

/// The host configuration a test uses: the shared infrastructure, the service's own role.
func hostConfiguration(
    for definition: ServiceDefinition, postgres: PostgresConfiguration? = nil
) throws -> HostConfiguration {
    let env = try TestEnvironment.current()
    var configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
        "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
        "GBM_PG_DATABASE": env.postgresDatabase,
        "GBM_DB_PASSWORD": env.servicePassword(schema: definition.schema),
        "GBM_KAFKA_BROKERS": env.kafkaBrokers,
        "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
        "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
        "GBM_KAFKA_GROUP": uniqueName("gbm-\(definition.executableName)"),
        "GBM_LOG_LEVEL": "warning",
    ]))
    if let postgres { configuration.postgres = postgres }
    return configuration
}

@Suite("Every service starts on the platform")
struct ServiceHostTests {
    @Test(arguments: allServices.map(\.executableName))
    func startsMigratesAndServesItsPlatformRoutes(executable: String) async throws {
        let definition = try #require(allServices.first { $0.executableName == executable })
        let host = try await ServiceHost.assemble(definition, configuration: try hostConfiguration(for: definition))
        let pool = host.context.pool
        try await host.application(withServices: true).test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
            }
            let ready = await eventually(timeout: .seconds(10)) {
                (try? await client.execute(uri: "/health/ready", method: .get) { $0.status == .ok }) == true
            }
            #expect(ready)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("http_server_requests_total"))
                // Gauges read at scrape time: the pool, the outbox backlog (empty here) and the process.
                for name in ["gbm_db_pool_connections_open", "gbm_db_pool_connections_in_use", "gbm_db_pool_waiting",
                             "gbm_outbox_backlog_rows", "gbm_outbox_oldest_age_seconds", "process_resident_memory_bytes",
                             "process_open_fds", "process_cpu_seconds_total"] {
                    #expect(text.contains("\n\(name)"), "no \(name) in /metrics")
                }
                // Labelled with the service's schema (its value depends on what the service published at start).
                #expect(text.contains(#"gbm_outbox_backlog_rows{schema="\#(definition.schema)"}"#))
            }
            // Once its consumer has partitions and has fetched, their lag per topic-partition.
            if let topic = definition.consumes.first?.name {
                let lagged = await eventually(timeout: .seconds(60)) {
                    (try? await client.execute(uri: "/metrics", method: .get) { response in
                        String(buffer: response.body).split(separator: "\n").contains {
                            $0.hasPrefix("gbm_consumer_lag{") && $0.contains(#"topic="\#(topic)""#) && $0.contains("partition=")
                        }
                    }) == true
                }
                #expect(lagged, "gbm_consumer_lag of \(topic) per partition on /metrics")
                // Every metric the Grafana dashboards and the alert rules query is one a running service exposes.
                let names = try MonitoringQueries.metricNames()
                #expect(names.contains("gbm_consumer_lag") && names.contains("http_server_request_duration_seconds_bucket"))
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let exposed = Set(String(buffer: response.body).split(separator: "\n").compactMap { line -> String? in
                        guard !line.hasPrefix("#") else { return nil }
                        return line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
                    })
                    #expect(names.subtracting(exposed).isEmpty, "queried but not exposed: \(names.subtracting(exposed).sorted())")
                }
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try OpenAPIDocument(json: Data(buffer: response.body))
                #expect(document.operations.contains(.init(method: "GET", path: "/health/ready")))
            }
            // Its schema holds the platform tables at the current migration, and its topics exist.
            let versions = try await pool.query(
                "SELECT max(version) AS v FROM \(identifier: definition.schema).schema_migrations")
            #expect(try versions.first?.decode("v", as: Int.self) == definition.allMigrations.map(\.version).max())
        }
        let admin = KafkaAdmin(configuration: host.configuration.kafka, logger: Logger(label: "test"))
        for topic in definition.owns {
            #expect(try await admin.partitionCount(topic: topic.name) == topic.partitions)
        }
        for topic in definition.consumes {
            #expect(try await admin.partitionCount(topic: topic.deadLetter) != nil)
        }
    }

    @Test(arguments: allServices.map(\.executableName))
    func documentsEveryRouteItServes(executable: String) async throws {
        let definition = try #require(allServices.first { $0.executableName == executable })
        let host = try await ServiceHost.assemble(definition, configuration: try hostConfiguration(for: definition))
        #expect(undocumentedRoutes(router: host.router, document: definition.openAPI) == [])
        #expect(unroutedOperations(router: host.router, document: definition.openAPI) == [])
        await host.context.pool.close()
    }

    /// Not only `SELECT` on one table: no statement of any kind reaches any table of another service's schema, and
    /// a service role creates nothing outside its own schema.
    @Test func aServiceRoleCanNeitherReadNorWriteAnyTableOfAnotherSchema() async throws {
        let env = try TestEnvironment.current()
        for definition in allServices {
            let host = try await ServiceHost.assemble(definition, configuration: try hostConfiguration(for: definition))
            await host.context.pool.close()
        }
        let admin = PostgresPool(
            configuration: PostgresConfiguration(
                host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
                user: env.postgresAdminUser, password: env.postgresAdminPassword),
            logger: Logger(label: "test"))
        let schemas = allServices.map(\.schema)
        let rows = try await admin.query(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(\(schemas)) ORDER BY 1, 2")
        let tables = try rows.rows.map { (try $0.decode("schemaname", as: String.self), try $0.decode("tablename", as: String.self)) }
        await admin.close()
        #expect(Set(tables.map(\.0)) == Set(schemas))
        func refused(_ pool: PostgresPool, _ sql: String) async -> Bool {
            do {
                try await pool.query(PostgresQuery(unsafeSQL: sql))
                return false
            } catch {
                return (error as? PostgresError)?.isInsufficientPrivilege == true
            }
        }
        for reader in allServices {
            let pool = PostgresPool(
                configuration: PostgresConfiguration(
                    host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
                    user: "gbm_\(reader.schema)", password: env.servicePassword(schema: reader.schema)),
                logger: Logger(label: "test"))
            for (schema, table) in tables where schema != reader.schema {
                let name = "\(quoteIdentifier(schema)).\(quoteIdentifier(table))"
                for sql in ["SELECT 1 FROM \(name) LIMIT 1", "INSERT INTO \(name) DEFAULT VALUES", "UPDATE \(name) SET ctid = ctid",
                            "DELETE FROM \(name)", "TRUNCATE \(name)"] {
                    #expect(await refused(pool, sql), "gbm_\(reader.schema): \(sql)")
                }
            }
            for other in schemas where other != reader.schema {
                #expect(await refused(pool, "CREATE TABLE \(quoteIdentifier(other)).intruder (i int)"), "gbm_\(reader.schema) in \(other)")
            }
            #expect(await refused(pool, "CREATE TABLE public.intruder_\(reader.schema) (i int)"), "gbm_\(reader.schema) in public")
            await pool.close()
        }
    }

    @Test func aServiceRoleCannotReadAnotherServicesSchema() async throws {
        let env = try TestEnvironment.current()
        // Every schema exists with its tables once each service has started.
        for definition in allServices {
            let host = try await ServiceHost.assemble(definition, configuration: try hostConfiguration(for: definition))
            await host.context.pool.close()
        }
        for reader in allServices {
            let pool = PostgresPool(
                configuration: PostgresConfiguration(
                    host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
                    user: "gbm_\(reader.schema)", password: env.servicePassword(schema: reader.schema)),
                logger: Logger(label: "test"))
            // Its own schema: allowed.
            try await pool.query("SELECT count(*) FROM \(identifier: reader.schema).outbox")
            for other in allServices where other.schema != reader.schema {
                await #expect {
                    try await pool.query("SELECT count(*) FROM \(identifier: other.schema).outbox")
                } throws: { error in
                    (error as? PostgresError)?.isInsufficientPrivilege == true
                }
            }
            await pool.close()
        }
    }

    @Test func readinessReportsNotReadyWhilePostgresIsDown() async throws {
        let server = try LocalPostgresServer()
        defer { server.destroy() }
        var definition = ReportingService.definition
        definition.schema = "reporting"
        let postgres = PostgresConfiguration(
            port: server.port, database: "postgres", user: "postgres", password: server.password,
            searchPath: definition.schema, maxConnections: 2, acquireTimeout: .seconds(2), connectTimeoutSeconds: 1)
        let host = try await ServiceHost.assemble(
            definition, configuration: try hostConfiguration(for: definition, postgres: postgres))
        try await host.application(withServices: false).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
            try server.stop()
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = String(buffer: response.body)
                #expect(body.contains("postgres"))
            }
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok, "a live process whose database is away is not dead")
            }
            try server.start()
            let back = await eventually(timeout: .seconds(10)) {
                (try? await client.execute(uri: "/health/ready", method: .get) { $0.status == .ok }) == true
            }
            #expect(back, "ready again once PostgreSQL is back")
        }
        await host.context.pool.close()
    }
}
