import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import Messaging
import Postgres
import ServiceHost
import ServiceKit
import ServiceTestSupport
import Synchronization
import TestSupport
import Testing
@testable import Reporting

/// Signed tokens for the roles the tests act as.
enum Tokens {
    static let signer = TokenSigner(configuration: AuthConfiguration())

    static func sign(_ principal: Principal) -> String { signer.sign(principal, ttl: .seconds(3600)) }
    static func region(_ code: String) -> String {
        sign(Principal(subject: "official-\(code)", role: .regionOfficial, regionCode: DivisionCode(rawValue: code)))
    }
    static func ministry() -> String { sign(Principal(subject: "ministry-miit", role: .ministry, department: .miit)) }
    static func promotionGroup() -> String { sign(Principal(subject: "cbmf", role: .promotionGroup)) }
    static func consumer() -> String { sign(Principal(subject: "consumer-1", role: .consumer)) }
}

extension Reply {
    /// A series' totals by dimension.
    var totals: [String: Int] {
        var found: [String: Int] = [:]
        for total in json["totals"] as? [[String: Any]] ?? [] {
            found[total["dimension"] as? String ?? "?"] = total["value"] as? Int
        }
        return found
    }

    /// An overview's entries as "metric|dimension" → value.
    var entries: [String: Int] {
        var found: [String: Int] = [:]
        for entry in json["entries"] as? [[String: Any]] ?? [] {
            found["\(entry["metric"] as? String ?? "?")|\(entry["dimension"] as? String ?? "?")"] = entry["value"] as? Int
        }
        return found
    }
}

typealias ReportingClient = ServiceClient

/// The service assembled on a schema of its own (as the admin role), with a clock the test controls. Events are
/// applied through the service's own consumer path (`EventConsumer.apply`: inbox, handlers, fallback), as if
/// consumed from their topics.
/// `@unchecked`: the host's router is only read while the harness is set up; everything else in it is Sendable.
final class ReportingHarness: @unchecked Sendable {
    let host: ServiceHost
    let clock: TestClock
    private let offsets = Atomic<Int64>(0)

    init(host: ServiceHost, clock: TestClock) {
        self.host = host
        self.clock = clock
    }

    deinit { host.dropSchemaAndClose() }

    var schema: String { host.definition.schema }
    var pool: PostgresPool { host.context.pool }

    static func make(
        today: String = "2023-11-20", groupID: String? = nil, campaigns: CampaignBook = CampaignEnvironment.builtIn
    ) async throws -> ReportingHarness {
        let clock = TestClock(today)
        let host = try await ServiceHost.assembleForTest(
            ReportingService.makeDefinition(settings: ReportingSettings(clock: clock.serviceClock, campaigns: campaigns)),
            schemaPrefix: "reporting", group: groupID)
        return ReportingHarness(host: host, clock: clock)
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (ReportingClient) async throws -> Void) async throws {
        try await host.withRouter(body)
    }

    /// Applies `events` in this order through the consumer's inbox path, as records of their topics.
    func deliver(_ events: [CloudEvent]) async throws {
        let consumer = try #require(host.consumer)
        let messages = events.map { event in
            let topic = event.eventType?.topic.name ?? "gbm.pilot.regions.v1"
            let record = KafkaProducerRecord(event: event, topic: topic)
            return KafkaMessage(topic: topic, partition: 0, offset: offsets.add(1, ordering: .relaxed).newValue,
                                key: record.key, value: record.value, headers: record.headers)
        }
        #expect(await consumer.apply(messages) == messages.count)
    }

    func deliver<Payload: EventPayload>(_ payload: Payload, id: String = UUID().uuidString.lowercased()) async throws {
        try await deliver([Sample.event(payload, id: id)])
    }

    /// The outbox's payloads of `type`, oldest first.
    func events(_ type: String) async throws -> [[String: Any]] {
        try await host.outboxEvents(type).map(\.payload)
    }

    /// A report version's stored document.
    func document(_ id: String, version: Int) async throws -> String {
        try await pool.query("""
            SELECT document FROM \(identifier: schema).summary_report WHERE report_id = \(UUID(uuidString: id)!) AND version = \(version)
            """).first!.decode("document", as: String.self)
    }
}
