import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import ServiceHost
import ServiceKit
import TestSupport
import Testing

extension ServiceHost {
    /// The service of `definition` on a schema of its own (`<schemaPrefix>_…`), connected as the admin role to the
    /// test infrastructure, in a consumer group of its own unless `group` names one. `settings` adds or overrides
    /// environment variables (`GBM_DB_POOL_SIZE` is 4 unless given).
    public static func assembleForTest(
        _ definition: ServiceDefinition, schemaPrefix: String, group: String? = nil, settings: [String: String] = [:]
    ) async throws -> ServiceHost {
        var definition = definition
        definition.schema = uniqueName(schemaPrefix)
        let env = try TestEnvironment.current()
        var variables = [
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
            "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_DB_POOL_SIZE": "4",
            "GBM_KAFKA_BROKERS": env.kafkaBrokers,
            "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
            "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
            "GBM_KAFKA_GROUP": group ?? uniqueName("gbm-\(schemaPrefix)-test"),
            "GBM_LOG_LEVEL": "warning",
        ]
        variables.merge(settings) { _, given in given }
        let configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader(variables))
        return try await ServiceHost.assemble(definition, configuration: configuration)
    }

    /// Drops the service's schema and closes its pool, in the background (for a harness's `deinit`).
    public func dropSchemaAndClose() {
        let pool = context.pool
        let schema = definition.schema
        Task {
            _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE")
            await pool.close()
        }
    }

    /// `client` with every response checked against the service's OpenAPI document (``ContractCheckingClient``).
    public func checkingContract(_ client: any TestClientProtocol) -> any TestClientProtocol {
        ContractCheckingClient(client, contract: contract)
    }

    /// The contract the service's responses are checked against.
    public var contract: ResponseContract { ResponseContract(definition.openAPI) }

    /// Runs `body` against the router (no relay or consumer); every response is checked against the service's
    /// OpenAPI document.
    public func withRouter(_ body: @Sendable (ServiceClient) async throws -> Void) async throws {
        let contract = contract
        try await application(withServices: false).test(.router) { client in
            try await body(ServiceClient(client: ContractCheckingClient(client, contract: contract)))
        }
    }

    /// Applies `payload` through the service's own handler for its type, as the consumer does (without the inbox:
    /// the same id twice is handled twice).
    public func deliverToHandler<Payload: EventPayload>(
        _ payload: Payload, id: String = UUID().uuidString.lowercased()
    ) async throws {
        var event = try CloudEvent(payload: payload)
        event.id = id
        let handler = try #require(definition.handlers(context).first { $0.eventType == Payload.eventType.name })
        try await context.pool.transaction { connection in try await handler.handle(event, connection) }
    }

    /// The outbox's events of `type` after outbox id `after`, oldest first, as (partition key, payload JSON).
    public func outboxEvents(_ type: String, after: Int = 0) async throws -> [(key: String, payload: [String: Any])] {
        let schema = definition.schema
        let rows = try await context.pool.query("""
            SELECT o.partition_key, p.payload FROM \(identifier: schema).outbox AS o
            JOIN \(identifier: schema).outbox_payload AS p USING (id)
            WHERE o.ce_type = \(type) AND o.id > \(after) ORDER BY o.id
            """)
        return try rows.rows.map { row in
            let text = try row.decode("payload", as: String.self)
            return (try row.decode("partition_key", as: String.self),
                    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:])
        }
    }

    /// Every outbox payload after outbox id `after` as text, to check that no personal data leaked into events.
    public func outboxText(after: Int = 0) async throws -> String {
        let rows = try await context.pool.query("""
            SELECT payload AS p FROM \(identifier: definition.schema).outbox_payload WHERE id > \(after) ORDER BY id
            """)
        return try rows.rows.map { try $0.decode("p", as: String.self) }.joined(separator: "\n")
    }

    /// `SELECT count(*)` from `sql` (a table of the service's schema, and what follows it: `claim WHERE …`).
    public func count(_ sql: String) async throws -> Int {
        let rows = try await context.pool.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(quoteIdentifier(definition.schema)).\(sql)"))
        return try rows.first!.decode("n", as: Int.self)
    }
}
