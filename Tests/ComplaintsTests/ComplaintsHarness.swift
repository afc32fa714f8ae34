import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import ServiceHost
import ServiceKit
import Synchronization
import TestSupport
import Testing
@testable import Complaints

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
    static func regulator(_ code: String) -> String {
        sign(Principal(subject: "amr-\(code)", role: .marketRegulator, regionCode: DivisionCode(rawValue: code)))
    }
    static func region(_ code: String) -> String {
        sign(Principal(subject: "official-\(code)", role: .regionOfficial, regionCode: DivisionCode(rawValue: code)))
    }
    static func samr() -> String { sign(Principal(subject: "samr-1", role: .ministry, department: .samr)) }
    static func enterprise(_ code: String) -> String {
        sign(Principal(subject: "platform-\(code)", role: .enterprise, enterpriseCode: UnifiedSocialCreditCode(rawValue: code)))
    }
    static func consumer() -> String { sign(Principal(subject: "consumer-1", role: .consumer)) }
}

/// A response: status, body text and the body as JSON.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    var fields: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    var code: String? { json["code"] as? String }
    var id: String { json["id"] as? String ?? "" }
    var caseStatus: String { json["status"] as? String ?? "" }
    func string(_ key: String) -> String? { json[key] as? String }
}

/// The HTTP client the tests speak through.
struct ComplaintsClient: Sendable {
    let client: any TestClientProtocol

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
            Reply(status: response.status, text: String(buffer: response.body))
        }
    }

    /// Files a case; returns the receipt.
    func file(_ json: String, token: String? = nil) async throws -> Reply {
        try await send(.post, "/cases", token: token, json: json)
    }

    /// A handler's transition.
    @discardableResult
    func transition(_ id: String, _ body: String, token: String) async throws -> Reply {
        try await send(.post, "/cases/\(id)/transitions", token: token, json: body)
    }
}

/// Test data with valid check characters.
enum Sample {
    static func creditCode(region: String = "330106") -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let organisation = String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let prefix = "91" + region + organisation
        return prefix + String(try! UnifiedSocialCreditCode.checkCharacter(forFirst17: prefix))
    }

    static func idNumber() -> String {
        let prefix = "330106" + "1980" + String(format: "%02d%02d", Int.random(in: 1...12), Int.random(in: 1...28))
            + String(format: "%03d", Int.random(in: 0...999))
        return prefix + String(try! ResidentIdentityNumber.checkCharacter(forFirst17: prefix))
    }

    /// A credit code whose check character is wrong.
    static func invalidCreditCode() -> String {
        let valid = creditCode()
        return String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
    }

    /// An ID number whose check character is wrong.
    static func invalidIDNumber() -> String {
        let valid = idNumber()
        return String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
    }

    static func phone() -> String { "139" + String((0..<8).map { _ in "0123456789".randomElement()! }) }

    /// A case's JSON; `extra` is appended to the object (start it with a comma).
    static func caseJSON(kind: String = "complaint", channel: String = "web-form", region: String = "330100",
                         county: String? = "330106", respondent: String? = nil, respondentName: String? = "西湖建材城某店",
                         certificate: String? = nil, phone: String = Sample.phone(), idNumber: String? = nil,
                         facts: String = "购买的保温板标称三星级绿色建材，实际无认证标识", demands: String? = "退货退款",
                         extra: String = "") -> String {
        var members = [
            #""kind":"\#(kind)""#, #""channel":"\#(channel)""#, #""category":"false-green-claim""#,
            #""regionCode":"\#(region)""#, #""complainantName":"王小明""#, #""complainantPhone":"\#(phone)""#,
            #""facts":"\#(facts)""#, #""amountInDispute":86000"#, #""purchasedOn":"2023-09-01""#,
        ]
        if let county { members.append(#""countyCode":"\#(county)""#) }
        if let respondent { members.append(#""respondentCreditCode":"\#(respondent)""#) }
        if let respondentName { members.append(#""respondentName":"\#(respondentName)""#) }
        if let certificate { members.append(#""certificateNumber":"\#(certificate)""#) }
        if let idNumber { members.append(#""complainantIDNumber":"\#(idNumber)""#) }
        if let demands { members.append(#""demands":"\#(demands)""#) }
        return "{" + members.joined(separator: ",") + extra + "}"
    }
}

/// The service assembled on a schema of its own (as the admin role), with a clock the test controls. Read models
/// are fed by the service's own handlers, as the consumer would feed them.
/// `@unchecked`: the host's router is only read while the harness is set up; everything else in it is Sendable.
final class ComplaintsHarness: @unchecked Sendable {
    let host: ServiceHost
    let clock: TestClock
    let settings: ComplaintsSettings

    init(host: ServiceHost, clock: TestClock, settings: ComplaintsSettings) {
        self.host = host
        self.clock = clock
        self.settings = settings
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
    var context: ComplaintsContext { ComplaintsContext(service: host.context, settings: settings) }
    var deadlineJob: CaseDeadlineJob { CaseDeadlineJob(context: context) }

    static func make(today: String = "2023-09-27", settings adjust: (inout ComplaintsSettings) -> Void = { _ in })
        async throws -> ComplaintsHarness {
        let clock = TestClock(today)
        var settings = ComplaintsSettings(clock: clock.serviceClock)
        adjust(&settings)
        var definition = ComplaintsService.makeDefinition(settings: settings)
        definition.schema = uniqueName("complaints")
        let env = try TestEnvironment.current()
        let configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
            "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_DB_POOL_SIZE": "4",
            "GBM_KAFKA_BROKERS": env.kafkaBrokers,
            "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
            "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
            "GBM_KAFKA_GROUP": uniqueName("gbm-complaints-test"),
            "GBM_LOG_LEVEL": "warning",
        ]))
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        let harness = ComplaintsHarness(host: host, clock: clock, settings: settings)
        try await harness.approveRegion("330100")
        return harness
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (ComplaintsClient) async throws -> Void) async throws {
        try await host.application(withServices: false).test(.router) { client in
            try await body(ComplaintsClient(client: client))
        }
    }

    /// Applies `payload` through the service's own handler for its type, as the consumer does.
    func deliver<Payload: EventPayload>(_ payload: Payload) async throws {
        var event = try CloudEvent(payload: payload)
        event.id = UUID().uuidString.lowercased()
        let handlers = host.definition.handlers(host.context)
        let handler = try #require(handlers.first { $0.eventType == Payload.eventType.name })
        try await pool.transaction { connection in try await handler.handle(event, connection) }
    }

    func approveRegion(_ code: String) async throws {
        try await deliver(RegionApproved(
            regionCode: try DivisionCode(validating: code), regionName: "杭州市", applicationID: nil, batchYear: 2023,
            concurringDepartments: [.miit, .mohurd], approvedOn: CalendarDate("2023-03-01")!, approvedAt: Date()))
    }

    func registerEnterprise(_ code: String) async throws {
        try await deliver(EnterpriseRegistered(
            creditCode: try UnifiedSocialCreditCode(validating: code), name: "绿筑建材有限公司", kind: .manufacturer,
            regionCode: try DivisionCode(validating: "330106"), address: "杭州市西湖区", isChainLeader: false,
            industrialCluster: nil, registeredAt: Date(), actorRole: .enterprise))
    }

    func issue(_ number: String, holder: String) async throws {
        try await deliver(CertificateIssued(
            certificateNumber: try CertificateNumber(validating: number),
            holderCreditCode: try UnifiedSocialCreditCode(validating: holder),
            manufacturerCreditCode: try UnifiedSocialCreditCode(validating: holder), factoryName: nil,
            certificationBody: "中国建材检验认证集团", productName: "岩棉外墙保温板", model: "YM-120",
            category: .enclosureStructuresAndConcrete, subCategory: "thermal-insulation", starGrade: .threeStar,
            certificationBasis: "T/CECS 10025-2019", issuedOn: CalendarDate("2023-01-10")!,
            expiresOn: CalendarDate("2028-01-09")!, actorRole: .certificationBody, issuedAt: Date()))
    }

    /// The outbox's events of `type`, oldest first, as (key, payload JSON).
    func events(_ type: String) async throws -> [(key: String, payload: [String: Any])] {
        let rows = try await pool.query("""
            SELECT o.partition_key, p.payload FROM \(identifier: schema).outbox AS o
            JOIN \(identifier: schema).outbox_payload AS p USING (id) WHERE o.ce_type = \(type) ORDER BY o.id
            """)
        return try rows.rows.map { row in
            let text = try row.decode("payload", as: String.self)
            return (try row.decode("partition_key", as: String.self),
                    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:])
        }
    }

    /// Every outbox payload as text, to check that no personal data leaked into events.
    func allEventText() async throws -> String {
        let rows = try await pool.query("SELECT payload AS p FROM \(identifier: schema).outbox_payload ORDER BY id")
        return try rows.rows.map { try $0.decode("p", as: String.self) }.joined(separator: "\n")
    }

    func count(_ sql: String) async throws -> Int {
        let rows = try await pool.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(quoteIdentifier(schema)).\(sql)"))
        return try rows.first!.decode("n", as: Int.self)
    }
}
