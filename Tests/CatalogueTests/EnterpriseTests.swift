import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

@Suite("Enterprises: registration and updates")
struct EnterpriseTests {
    @Test func registersAnEnterpriseAndPublishesTheEventWithoutItsContactPhone() async throws {
        let harness = try await CatalogueHarness.make()
        let code = Sample.creditCode()
        try await harness.withClient { client in
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.enterprise(code),
                                     body: ByteBuffer(string: Sample.enterprise(code))) { response in
                #expect(response.status == .created)
                let body = response.text
                #expect(body.contains("138****5678"))
                #expect(!body.contains("13812345678"))
            }
            try await client.execute(uri: "/enterprises/\(code)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("\"products\":[]"))
            }
        }
        #expect(try await harness.outboxTypes(key: code) == ["gbm.catalogue.enterprise.registered.v1"])
        let payloads = try await harness.pool.query("SELECT payload AS p FROM \(identifier: harness.schema).outbox_payload")
        #expect(try payloads.rows.allSatisfy { !(try $0.decode("p", as: String.self)).contains("13812345678") })
        await harness.close()
    }

    @Test func rejectsACreditCodeWithAWrongCheckCharacterNamingTheField() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.enterprise("91350100M000100Y4Z"))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == Problem.mediaType)
                let problem = try #require(response.problem)
                #expect(problem.errors.map(\.field) == ["creditCode"])
            }
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.enterprise("91110000600037341L"))) { response in
                #expect(response.status == .created)
            }
        }
        await harness.close()
    }

    @Test func anEnterpriseMayRegisterOnlyItself() async throws {
        let harness = try await CatalogueHarness.make()
        let code = Sample.creditCode()
        try await harness.withClient { client in
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.enterprise(Sample.creditCode()),
                                     body: ByteBuffer(string: Sample.enterprise(code))) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.consumer,
                                     body: ByteBuffer(string: Sample.enterprise(code))) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/enterprises", method: .post,
                                     body: ByteBuffer(string: Sample.enterprise(code))) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try await harness.outboxTypes() == [])
        await harness.close()
    }

    @Test func registeringTwiceIsAConflictAndUpdatingNamesTheChangedFields() async throws {
        let harness = try await CatalogueHarness.make()
        let code = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(code)
            try await client.execute(uri: "/enterprises", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.enterprise(code))) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "enterprise-already-registered")
            }
            try await client.issueCertificate(Sample.certificate(Sample.certificateNumber(), holder: code))
            try await client.execute(uri: "/enterprises/\(code)", method: .patch, headers: Tokens.enterprise(code),
                                     body: ByteBuffer(string: #"{"name":"浙江绿筑门窗股份有限公司","isChainLeader":true}"#)) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.text.contains("浙江绿筑门窗股份有限公司"))
            }
            // The products are found by the enterprise's new name.
            try await client.execute(uri: "/products?q=\("门窗股份".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)",
                                     method: .get) { response in
                let page = try response.json(ProductPageBody.self)
                #expect(page.items.count == 1)
            }
            try await client.execute(uri: "/enterprises/\(code)", method: .patch, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"regionCode":"999999"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.first?.field == "regionCode")
            }
        }
        let payload = try await harness.pool.query("""
            SELECT (p.payload::jsonb)->'changedFields' AS f FROM \(identifier: harness.schema).outbox AS o
            JOIN \(identifier: harness.schema).outbox_payload AS p USING (id)
            WHERE o.ce_type = 'gbm.catalogue.enterprise.updated.v1'
            """)
        #expect(try payload.rows.map { try $0.decode("f", as: String.self) } == [#"["name"]"#])
        await harness.close()
    }
}

/// A search page as the tests read it.
struct ProductPageBody: Decodable {
    struct Item: Decodable {
        var certificateNumber: String
        var productName: String
        var status: String
        var starGrade: String
        var underInvestigation: Bool
    }

    var items: [Item]
    var nextCursor: String?
}
