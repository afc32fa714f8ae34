import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import ServiceHost
import ServiceKit
import ServiceTestSupport
import Synchronization
import TestSupport
import Testing
@testable import Complaints

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

extension Reply {
    var caseStatus: String { json["status"] as? String ?? "" }
}

typealias ComplaintsClient = ServiceClient

extension ServiceClient {
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
    static func creditCode(region: String = "330106") -> String { SampleIdentifiers.creditCode(region: region) }
    static func idNumber() -> String { SampleIdentifiers.idNumber() }
    /// A credit code whose check character is wrong.
    static func invalidCreditCode() -> String { SampleIdentifiers.withWrongCheckCharacter(creditCode()) }
    /// An ID number whose check character is wrong.
    static func invalidIDNumber() -> String { SampleIdentifiers.withWrongCheckCharacter(idNumber()) }

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

    deinit { host.dropSchemaAndClose() }

    var schema: String { host.definition.schema }
    var pool: PostgresPool { host.context.pool }
    var context: ComplaintsContext { ComplaintsContext(service: host.context, settings: settings) }
    var deadlineJob: CaseDeadlineJob { CaseDeadlineJob(context: context) }

    static func make(today: String = "2023-09-27", settings adjust: (inout ComplaintsSettings) -> Void = { _ in })
        async throws -> ComplaintsHarness {
        let clock = TestClock(today)
        var settings = ComplaintsSettings(clock: clock.serviceClock)
        adjust(&settings)
        let host = try await ServiceHost.assembleForTest(
            ComplaintsService.makeDefinition(settings: settings), schemaPrefix: "complaints")
        let harness = ComplaintsHarness(host: host, clock: clock, settings: settings)
        try await harness.approveRegion("330100")
        return harness
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (ComplaintsClient) async throws -> Void) async throws {
        try await host.withRouter(body)
    }

    /// Applies `payload` through the service's own handler for its type, as the consumer does.
    func deliver<Payload: EventPayload>(_ payload: Payload) async throws {
        try await host.deliverToHandler(payload)
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
        try await host.outboxEvents(type)
    }

    /// Every outbox payload as text, to check that no personal data leaked into events.
    func allEventText() async throws -> String { try await host.outboxText() }

    func count(_ sql: String) async throws -> Int { try await host.count(sql) }
}
