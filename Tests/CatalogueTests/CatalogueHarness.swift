import Catalogue
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
import TestSupport
import Testing

/// A clock the tests move.
final class TestClock: Sendable {
    let value: LockedValue<Date>

    init(_ start: Date = ISO8601DateFormatter().date(from: "2023-06-01T02:00:00Z")!) {
        value = LockedValue(start)
    }

    var now: Date { value.current }
    func set(_ date: Date) { value.withLock { $0 = date } }
    func set(day: String) { set(ISO8601DateFormatter().date(from: "\(day)T04:00:00Z")!) }

    var serviceClock: ServiceClock { ServiceClock { [value] in value.current } }
}

/// A catalogue host on its own schema (as the admin role), so that suites never see each other's rows.
struct CatalogueHarness: @unchecked Sendable {
    let host: ServiceHost
    let clock: TestClock
    let schema: String

    static func make(
        clock: TestClock = TestClock(), expirySweep: Duration = .seconds(3600), importChunkRows: Int = 5000,
        exportPageRows: Int = 2000, searchCacheEntries: Int = 4096
    ) async throws -> CatalogueHarness {
        let env = try TestEnvironment.current()
        var definition = CatalogueService.makeDefinition(
            settings: CatalogueSettings(clock: clock.serviceClock, expirySweep: expirySweep,
                                        importChunkRows: importChunkRows, exportPageRows: exportPageRows,
                                        searchCacheEntries: searchCacheEntries))
        definition.schema = uniqueName("cat")
        var configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort),
            "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_KAFKA_BROKERS": env.kafkaBrokers,
            "GBM_KAFKA_SESSION_TIMEOUT_MS": String(env.kafkaSessionTimeoutMs),
            "GBM_KAFKA_FETCH_WAIT_MAX_MS": String(env.kafkaFetchWaitMaxMs),
            "GBM_KAFKA_GROUP": uniqueName("gbm-catalogue-test"),
            "GBM_LOG_LEVEL": ProcessInfo.processInfo.environment["CATALOGUE_TEST_LOG_LEVEL"] ?? "warning",
        ]))
        configuration.postgres.searchPath = definition.schema
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        return CatalogueHarness(host: host, clock: clock, schema: definition.schema)
    }

    var pool: PostgresPool { host.context.pool }

    /// Drops the suite's schema and closes the pool.
    func close() async {
        _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await pool.close()
    }

    /// Runs `body` against the router, without the long-running services; every response is checked against the
    /// catalogue's OpenAPI document.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let contract = ResponseContract(host.definition.openAPI)
        try await host.application(withServices: false).test(.router) { client in
            try await body(ContractCheckingClient(client, contract: contract))
        }
    }

    /// Event types written, oldest first, optionally for one key: those still in the outbox and those the relay
    /// (when a test runs it) has already published.
    func outboxTypes(key: String? = nil) async throws -> [String] {
        let rows = try await pool.query("""
            SELECT ce_type FROM (
                SELECT id, ce_type, partition_key FROM \(identifier: schema).outbox
                UNION ALL
                SELECT id, ce_type, partition_key FROM \(identifier: schema).outbox_published
            ) written
            WHERE \(key)::text IS NULL OR partition_key = \(key) ORDER BY id
            """)
        return try rows.rows.map { try $0.decode("ce_type", as: String.self) }
    }

    /// Records a pilot region as approved, as the consumer does from `gbm.pilot.regions.v1`.
    func approveRegion(_ code: String, name: String = "试点地区") async throws {
        try await pool.query("""
            INSERT INTO \(identifier: schema).approved_regions (region_code, region_name, batch_year, approved_on, approved_at)
            VALUES (\(code), \(name), 2023, '2023-03-01', now()) ON CONFLICT DO NOTHING
            """)
    }
}

/// Tokens for the roles the tests act as.
enum Tokens {
    static let signer = TokenSigner(secret: AuthConfiguration.developmentSecret)

    static func bearer(_ principal: Principal) -> HTTPFields {
        [.authorization: "Bearer " + signer.sign(principal, ttl: .seconds(3600)), .contentType: "application/json"]
    }

    /// The credit code of the certification body the tests usually act as.
    static let certificationBodyCode = Sample.creditCode(region: "110108")
    static let certificationBody = certificationBody(certificationBodyCode)
    static func certificationBody(_ code: String) -> HTTPFields {
        bearer(Principal(subject: "cb-\(code)", role: .certificationBody,
                         certificationBodyCode: UnifiedSocialCreditCode(rawValue: code)))
    }
    /// The certification technical committee, which imports the national list.
    static let committee = bearer(Principal(subject: "committee-1", role: .certificationCommittee))
    /// A market-regulator bureau of `region` (six digits).
    static func marketRegulator(_ region: String) -> HTTPFields {
        bearer(Principal(subject: "samr-\(region)", role: .marketRegulator, regionCode: DivisionCode(rawValue: region)))
    }
    static func ministry(_ department: GuidingDepartment?) -> HTTPFields {
        bearer(Principal(subject: "m-\(department?.rawValue ?? "none")", role: .ministry, department: department))
    }
    static let consumer = bearer(Principal(subject: "c-1", role: .consumer))
    static func enterprise(_ code: String) -> HTTPFields { bearer(Principal(subject: "e-\(code)", role: .enterprise, enterpriseCode: UnifiedSocialCreditCode(rawValue: code))) }
    static func regionOfficial(_ region: String) -> HTTPFields {
        bearer(Principal(subject: "r-\(region)", role: .regionOfficial, regionCode: DivisionCode(rawValue: region)))
    }
}

/// Test data: valid credit codes made with the Contracts helper, certificate bodies.
enum Sample {
    /// A valid credit code with a random organisation part in the given region.
    static func creditCode(region: String = "330106") -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let organisation = String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let prefix = "91" + region + organisation
        return prefix + String(try! UnifiedSocialCreditCode.checkCharacter(forFirst17: prefix))
    }

    static func certificateNumber() -> String {
        "CGBM-T-" + UUID().uuidString.prefix(8).uppercased()
    }

    static func enterprise(_ code: String, name: String = "浙江绿筑新材料科技有限公司", region: String = "330106") -> String {
        """
        {"creditCode":"\(code)","name":"\(name)","kind":"manufacturer","regionCode":"\(region)",
         "address":"杭州市西湖区文三路 398 号","contactName":"王经理","contactPhone":"13812345678","isChainLeader":true}
        """
    }

    static func certificate(
        _ number: String, holder: String, productName: String = "岩棉外墙保温板", grade: String = "two-star",
        category: String = "enclosure-structures-and-concrete", subCategory: String = "thermal-insulation",
        issuedOn: String = "2023-01-10", expiresOn: String? = nil
    ) -> String {
        var fields = [
            "\"certificateNumber\":\"\(number)\"", "\"holderCreditCode\":\"\(holder)\"",
            "\"certificationBody\":\"中国建材检验认证集团\"", "\"productName\":\"\(productName)\"",
            "\"model\":\"YM-120\"", "\"category\":\"\(category)\"", "\"subCategory\":\"\(subCategory)\"",
            "\"starGrade\":\"\(grade)\"", "\"certificationBasis\":\"T/CECS 10025-2019\"", "\"issuedOn\":\"\(issuedOn)\"",
        ]
        if let expiresOn { fields.append("\"expiresOn\":\"\(expiresOn)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

extension TestResponse {
    /// The body decoded as JSON.
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: body))
    }

    /// The body as a problem.
    var problem: Problem? { try? json(Problem.self) }

    var text: String { String(buffer: body) }
}

extension TestClientProtocol {
    /// Registers an enterprise as a certification body and expects it to succeed.
    func registerEnterprise(_ code: String, name: String = "浙江绿筑新材料科技有限公司", region: String = "330106") async throws {
        try await execute(uri: "/enterprises", method: .post, headers: Tokens.certificationBody,
                          body: ByteBuffer(string: Sample.enterprise(code, name: name, region: region))) { response in
            #expect(response.status == .created, "\(response.text)")
        }
    }

    /// Issues a certificate and expects it to succeed.
    func issueCertificate(_ body: String) async throws {
        try await execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                          body: ByteBuffer(string: body)) { response in
            #expect(response.status == .created, "\(response.text)")
        }
    }
}
