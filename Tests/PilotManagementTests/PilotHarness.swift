import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import ServiceHost
import ServiceKit
import ServiceTestSupport
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
        today: String = "2023-03-01", maxDocumentBytes: Int = 64 * 1024, poolSize: Int = 4,
        campaign: CampaignEnvironment? = nil
    ) async throws -> PilotHarness {
        let clock = TestClock(today)
        let settings = campaign.map { PilotSettings(campaign: $0, maxDocumentBytes: maxDocumentBytes, clock: clock.serviceClock) }
            ?? PilotSettings(maxDocumentBytes: maxDocumentBytes, clock: clock.serviceClock)
        let host = try await ServiceHost.assembleForTest(
            PilotManagementService.makeDefinition(settings: settings), schemaPrefix: "pilot",
            settings: ["GBM_DB_POOL_SIZE": String(poolSize)])
        let end = try await host.context.pool.query(
            "SELECT coalesce(max(id), 0)::bigint AS id FROM \(identifier: host.definition.schema).outbox")
        return PilotHarness(
            host: host, clock: clock, settings: settings, startUpOutboxEnd: try end.first!.decode("id", as: Int.self))
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (PilotClient) async throws -> Void) async throws {
        try await host.withRouter(body)
    }

    /// The outbox's events of `type` since the harness started (or, with `includingStartUp`, all of them), oldest
    /// first, as (subject, payload JSON).
    func events(_ type: String, includingStartUp: Bool = false) async throws -> [(subject: String, payload: [String: Any])] {
        try await host.outboxEvents(type, after: includingStartUp ? 0 : startUpOutboxEnd).map { ($0.key, $0.payload) }
    }

    /// Every outbox payload since the harness started as text, to check that no personal data leaked into events.
    func allEventText() async throws -> String { try await host.outboxText(after: startUpOutboxEnd) }

    func count(_ sql: String) async throws -> Int { try await host.count(sql) }

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
