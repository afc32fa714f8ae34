import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Postgres
import ServiceHost
import ServiceKit
import ServiceTestSupport
import Synchronization
import TestSupport
import Testing
@testable import Subsidy

/// Signed tokens for the roles the tests act as.
enum Tokens {
    static let signer = TokenSigner(configuration: AuthConfiguration())

    static func sign(_ principal: Principal) -> String { signer.sign(principal, ttl: .seconds(3600)) }
    static func region(_ code: String, subject: String? = nil) -> String {
        sign(Principal(subject: subject ?? "official-\(code)", role: .regionOfficial, regionCode: DivisionCode(rawValue: code)))
    }
    static func ministry(_ subject: String = "ministry-mof") -> String {
        sign(Principal(subject: subject, role: .ministry, department: .mofcom))
    }
    static func seller(_ code: String) -> String {
        sign(Principal(subject: "seller-\(code)", role: .enterprise, enterpriseCode: UnifiedSocialCreditCode(rawValue: code)))
    }
    static func consumer(_ subject: String = "consumer-1") -> String { sign(Principal(subject: subject, role: .consumer)) }
}

extension Reply {
    var status_: String { json["status"] as? String ?? "" }
    var reasons: [String] { json["rejectionReasons"] as? [String] ?? [] }
    var rules: [String] { json["holdRules"] as? [String] ?? [] }
}

typealias SubsidyClient = ServiceClient

/// Test data with valid check characters.
enum Sample {
    /// A valid credit code with a random organisation part in the given region.
    static func creditCode(region: String = "330106") -> String { SampleIdentifiers.creditCode(region: region) }
    /// A valid resident ID number born in 1980 with a random sequence.
    static func idNumber() -> String { SampleIdentifiers.idNumber() }

    static func certificateNumber() -> String { "CGBM-T-" + UUID().uuidString.prefix(8).uppercased() }
    static func invoiceNumber() -> String { String((0..<20).map { _ in "0123456789".randomElement()! }) }

    static func purchaseProgramme(
        region: String, budget: Int64 = 100_000_000, startsOn: String = "2023-06-01", endsOn: String = "2023-12-31",
        reviewThreshold: Int64 = 1_000_000, capPerItem: Int64 = 200_000, householdCapCount: Int = 10,
        householdCapAmount: Int64 = 10_000_000, extraTerms: String = "", rounding: String = "half-up"
    ) -> String {
        """
        {"regionCode":"\(region)","name":"绿色建材下乡消费补贴","kind":"purchase","startsOn":"\(startsOn)","endsOn":"\(endsOn)",
         "budget":\(budget),"fundingShares":[{"level":"central","basisPoints":8000},{"level":"provincial","basisPoints":2000}],
         "rounding":"\(rounding)","reviewThreshold":\(reviewThreshold),
         "purchaseTerms":{"gradeRates":[{"starGrade":"three-star","rateBasisPoints":1500},{"starGrade":"two-star","rateBasisPoints":1200},
            {"starGrade":"one-star","rateBasisPoints":1000}],"localListRateBasisPoints":800,
            "eligibleCategories":["enclosure-structures-and-concrete","windows-curtain-walls-and-decoration"],
            "capPerItem":\(capPerItem),"householdCapCount":\(householdCapCount),"householdCapAmount":\(householdCapAmount)\(extraTerms)}}
        """
    }

    struct Claim {
        var programmeID: String
        var seller: String
        var certificate: String
        var idNumber = Sample.idNumber()
        var householdID = "HH-" + UUID().uuidString.prefix(8)
        var invoiceNumber = Sample.invoiceNumber()
        var purchasedOn = "2023-07-08"
        var quantity = 1
        var unitPrice: Int64 = 100_000
        var bankAccount = "6222" + String((0..<15).map { _ in "0123456789".randomElement()! })
        /// The lines as JSON, instead of one line of `certificate`.
        var lines: String?

        var json: String {
            """
            {"programmeID":"\(programmeID)","buyerIDNumber":"\(idNumber)","householdID":"\(householdID)","buyerPhone":"13812345678",
             "sellerCreditCode":"\(seller)","invoiceCode":"033002300111","invoiceNumber":"\(invoiceNumber)","purchasedOn":"\(purchasedOn)",
             "lines":\(lines ?? #"[{"certificateNumber":"\#(certificate)","quantity":\#(quantity),"unitPrice":\#(unitPrice)}]"#),
             "bankAccount":"\(bankAccount)"}
            """
        }
    }
}

/// The service assembled on a schema of its own (as the admin role), with a clock the test controls. Read models
/// are fed by the service's own handlers, as the consumer would feed them.
/// `@unchecked`: the host's router is only read while the harness is set up; everything else in it is Sendable.
final class SubsidyHarness: @unchecked Sendable {
    let host: ServiceHost
    let clock: TestClock
    let settings: SubsidySettings

    init(host: ServiceHost, clock: TestClock, settings: SubsidySettings) {
        self.host = host
        self.clock = clock
        self.settings = settings
    }

    deinit { host.dropSchemaAndClose() }

    var schema: String { host.definition.schema }
    var pool: PostgresPool { host.context.pool }
    var context: SubsidyContext { SubsidyContext(service: host.context, settings: settings) }

    static func make(today: String = "2023-07-10", poolSize: Int = 4, acquireTimeoutMs: Int = 10_000, budgetSlices: Int = 8,
                     fraud: FraudThresholds = FraudThresholds(), groupID: String? = nil,
                     workingDays: WorkingDayCalendar = .china2023) async throws -> SubsidyHarness {
        let clock = TestClock(today)
        let settings = SubsidySettings(clock: clock.serviceClock, budgetSlices: budgetSlices, fraud: fraud, workingDays: workingDays)
        let host = try await ServiceHost.assembleForTest(
            SubsidyService.makeDefinition(settings: settings), schemaPrefix: "subsidy", group: groupID,
            settings: ["GBM_DB_POOL_SIZE": String(poolSize), "GBM_DB_ACQUIRE_TIMEOUT_MS": String(acquireTimeoutMs)])
        return SubsidyHarness(host: host, clock: clock, settings: settings)
    }

    /// Runs `body` against the router (no relay or consumer).
    func run(_ body: @Sendable (SubsidyClient) async throws -> Void) async throws {
        try await host.withRouter(body)
    }

    /// Applies `payload` through the service's own handler for its type, as the consumer does.
    func deliver<Payload: EventPayload>(_ payload: Payload, id: String = UUID().uuidString.lowercased()) async throws {
        try await host.deliverToHandler(payload, id: id)
    }

    /// A pilot region the pilot service approved.
    func approveRegion(_ code: String) async throws {
        try await deliver(RegionApproved(
            regionCode: try DivisionCode(validating: code), regionName: "试点地区", applicationID: nil, batchYear: 2023,
            concurringDepartments: [.miit, .mohurd], approvedOn: CalendarDate("2023-03-01")!, approvedAt: Date()))
    }

    /// A seller enrolled in `region` on `day`.
    func enrol(_ seller: String, in region: String, on day: String = "2023-05-01") async throws {
        try await deliver(ParticipantEnrolled(
            participantID: UUID().uuidString.lowercased(), regionCode: try DivisionCode(validating: region),
            creditCode: try UnifiedSocialCreditCode(validating: seller), name: "绿筑建材商店", kind: .store,
            salesZone: nil, pledgedDiscountBasisPoints: 500, isChainLeader: false, industrialCluster: nil,
            enrolledAt: TestClock.noon(day)))
    }

    /// A certificate the catalogue issued.
    func issue(_ number: String, grade: StarGrade = .threeStar, category: ProductCategory = .enclosureStructuresAndConcrete,
               issuedOn: String = "2023-01-10", expiresOn: String = "2028-01-09") async throws {
        try await deliver(CertificateIssued(
            certificateNumber: try CertificateNumber(validating: number),
            holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()),
            manufacturerCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), factoryName: nil,
            certificationBody: "中国建材检验认证集团", productName: "岩棉外墙保温板", model: "YM-120", category: category,
            subCategory: "thermal-insulation", starGrade: grade, certificationBasis: "T/CECS 10025-2019",
            issuedOn: CalendarDate(issuedOn)!, expiresOn: CalendarDate(expiresOn)!, actorRole: .certificationBody,
            issuedAt: TestClock.noon(issuedOn)))
    }

    /// A region, an enrolled seller, a certificate and an open purchase programme: what most claim tests need.
    struct Setup: Sendable {
        var region: String
        var seller: String
        var certificate: String
        var programmeID: String

        func claim() -> Sample.Claim { Sample.Claim(programmeID: programmeID, seller: seller, certificate: certificate) }
    }

    func openProgramme(_ client: SubsidyClient, region: String = "330100", programme: String? = nil) async throws -> Setup {
        let seller = Sample.creditCode()
        let certificate = Sample.certificateNumber()
        try await approveRegion(region)
        try await enrol(seller, in: region)
        try await issue(certificate)
        let drafted = try await client.send(.post, "/programmes", token: Tokens.region(region),
                                            json: programme ?? Sample.purchaseProgramme(region: region))
        #expect(drafted.status == .created, "\(drafted.text)")
        let approved = try await client.send(.post, "/programmes/\(drafted.id)/approval", token: Tokens.ministry())
        #expect(approved.status == .ok, "\(approved.text)")
        let opened = try await client.send(.post, "/programmes/\(drafted.id)/opening", token: Tokens.region(region))
        #expect(opened.status == .ok, "\(opened.text)")
        return Setup(region: region, seller: seller, certificate: certificate, programmeID: drafted.id)
    }

    /// The outbox's events of `type`, oldest first, as (key, payload JSON).
    func events(_ type: String) async throws -> [(key: String, payload: [String: Any])] {
        try await host.outboxEvents(type)
    }

    /// How many events of `type` were written: still in the outbox or already published by the relay.
    func eventCount(_ type: String) async throws -> Int {
        let rows = try await pool.query("""
            SELECT (SELECT count(*) FROM \(identifier: schema).outbox WHERE ce_type = \(type))
                 + (SELECT count(*) FROM \(identifier: schema).outbox_published WHERE ce_type = \(type)) AS n
            """)
        return try rows.first!.decode("n", as: Int.self)
    }

    /// Every outbox payload as text, to check that no personal data leaked into events.
    func allEventText() async throws -> String { try await host.outboxText() }

    func count(_ sql: String) async throws -> Int { try await host.count(sql) }

    /// The first column of the first row of `sql`, run in the harness's schema.
    func scalar(_ sql: String) async throws -> Int64 {
        try await pool.query(PostgresQuery(unsafeSQL: sql)).first!.decode(0, as: Int64.self)
    }
}
