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
import Synchronization
import TestSupport
import Testing
@testable import Reporting

/// A clock a test sets by hand: noon in Asia/Shanghai on a day.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ day: String) { current = Mutex(TestClock.noon(day)) }

    var serviceClock: ServiceClock { ServiceClock { [self] in current.withLock { $0 } } }

    func set(_ day: String) { current.withLock { $0 = TestClock.noon(day) } }

    static func noon(_ day: String) -> Date {
        CalendarDate(day)!.startOfDay(in: ServiceClock.timeZone).addingTimeInterval(12 * 3600)
    }
}

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

/// A response: status, body text and the body as JSON.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var text: String
    var headers: HTTPFields

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    var fields: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    var code: String? { json["code"] as? String }

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

/// The HTTP client the tests speak through.
struct ReportingClient: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func get(_ uri: String, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.get, uri, token: token, headers: extra)
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }
}

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

    deinit {
        let pool = host.context.pool
        let schema = host.definition.schema
        Task {
            _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE")
            await pool.close()
        }
    }

    var schema: String { host.definition.schema }
    var pool: PostgresPool { host.context.pool }

    static func make(today: String = "2023-11-20", groupID: String? = nil) async throws -> ReportingHarness {
        let clock = TestClock(today)
        var definition = ReportingService.makeDefinition(settings: ReportingSettings(clock: clock.serviceClock))
        definition.schema = uniqueName("reporting")
        let env = try TestEnvironment.current()
        let configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
            "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_DB_POOL_SIZE": "4",
            "GBM_KAFKA_BROKERS": env.kafkaBrokers,
            "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
            "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
            "GBM_KAFKA_GROUP": groupID ?? uniqueName("gbm-reporting-test"),
            "GBM_LOG_LEVEL": "warning",
        ]))
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        return ReportingHarness(host: host, clock: clock)
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (ReportingClient) async throws -> Void) async throws {
        try await host.application(withServices: false).test(.router) { client in
            try await body(ReportingClient(client: client))
        }
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
        let rows = try await pool.query("""
            SELECT p.payload FROM \(identifier: schema).outbox AS o
            JOIN \(identifier: schema).outbox_payload AS p USING (id) WHERE o.ce_type = \(type) ORDER BY o.id
            """)
        return try rows.rows.map { row in
            let text = try row.decode("payload", as: String.self)
            return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// A report version's stored document.
    func document(_ id: String, version: Int) async throws -> String {
        try await pool.query("""
            SELECT document FROM \(identifier: schema).summary_report WHERE report_id = \(UUID(uuidString: id)!) AND version = \(version)
            """).first!.decode("document", as: String.self)
    }
}
