import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import ServiceHost
import ServiceKit
import Synchronization
import TestSupport
import Testing
@testable import PilotManagement

/// The service assembled on a schema of its own (connected as the admin role), with a clock the test controls.
/// Its pool closes when the harness goes away.
/// `@unchecked`: the host's router is only read while the harness is set up; everything else in it is Sendable.
final class PilotHarness: @unchecked Sendable {
    let host: ServiceHost
    let clock: TestClock
    let settings: PilotSettings
    /// The last outbox id the start-up work wrote (the 2022 batch's announcements): ``events(_:)`` and
    /// ``allEventText()`` read what the test caused, after it.
    let startUpOutboxEnd: Int

    init(host: ServiceHost, clock: TestClock, settings: PilotSettings, startUpOutboxEnd: Int) {
        self.host = host
        self.clock = clock
        self.settings = settings
        self.startUpOutboxEnd = startUpOutboxEnd
    }

    deinit {
        let pool = host.context.pool
        Task { await pool.close() }
    }
    var schema: String { host.definition.schema }
    var pool: PostgresPool { host.context.pool }

    static func make(
        today: String = "2023-03-01", maxDocumentBytes: Int = 64 * 1024, poolSize: Int = 4
    ) async throws -> PilotHarness {
        let clock = TestClock(today)
        let settings = PilotSettings(maxDocumentBytes: maxDocumentBytes, clock: clock.serviceClock)
        var definition = PilotManagementService.makeDefinition(settings: settings)
        definition.schema = uniqueName("pilot")
        let env = try TestEnvironment.current()
        let configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
            "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_DB_POOL_SIZE": String(poolSize),
            "GBM_KAFKA_BROKERS": env.kafkaBrokers,
            "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
            "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
            "GBM_KAFKA_GROUP": uniqueName("gbm-pilot-test"),
            "GBM_LOG_LEVEL": "warning",
        ]))
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        let end = try await host.context.pool.query(
            "SELECT coalesce(max(id), 0)::bigint AS id FROM \(identifier: definition.schema).outbox")
        return PilotHarness(
            host: host, clock: clock, settings: settings, startUpOutboxEnd: try end.first!.decode("id", as: Int.self))
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (PilotClient) async throws -> Void) async throws {
        try await host.application(withServices: false).test(.router) { client in
            try await body(PilotClient(client: client))
        }
    }

    /// The outbox's events of `type` since the harness started (or, with `includingStartUp`, all of them), oldest
    /// first, as (subject, payload JSON).
    func events(_ type: String, includingStartUp: Bool = false) async throws -> [(subject: String, payload: [String: Any])] {
        let after = includingStartUp ? 0 : startUpOutboxEnd
        let rows = try await pool.query("""
            SELECT o.partition_key, p.payload FROM \(identifier: schema).outbox AS o
            JOIN \(identifier: schema).outbox_payload AS p USING (id)
            WHERE o.ce_type = \(type) AND o.id > \(after) ORDER BY o.id
            """)
        return try rows.rows.map { row in
            let text = try row.decode("payload", as: String.self)
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
            return (try row.decode("partition_key", as: String.self), object)
        }
    }

    /// Every outbox payload since the harness started as text, to check that no personal data leaked into events.
    func allEventText() async throws -> String {
        let rows = try await pool.query(
            "SELECT payload AS p FROM \(identifier: schema).outbox_payload WHERE id > \(startUpOutboxEnd) ORDER BY id")
        return try rows.rows.map { try $0.decode("p", as: String.self) }.joined(separator: "\n")
    }

    func count(_ sql: String) async throws -> Int {
        let rows = try await pool.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(quoteIdentifier(schema)).\(sql)"))
        return try rows.first!.decode("n", as: Int.self)
    }

    /// Registers an enterprise in the local directory the way the catalogue event does.
    func registerEnterprise(_ code: String, name: String = "绿筑新材料有限公司", kind: EnterpriseKind = .manufacturer,
                            chainLeader: Bool = false, cluster: String? = nil) async throws {
        let payload = EnterpriseRegistered(
            creditCode: try UnifiedSocialCreditCode(validating: code), name: name, kind: kind,
            regionCode: try DivisionCode(validating: "330100"), address: "杭州市余杭区良渚街道1号",
            isChainLeader: chainLeader, industrialCluster: cluster, registeredAt: Date(), actorRole: .certificationCommittee)
        let event = try CloudEvent(payload: payload)
        let handler = EnterpriseDirectory.handlers.first { $0.eventType == EnterpriseRegistered.eventType.name }!
        try await pool.withConnection { connection in try await handler.handle(event, connection) }
    }
}
