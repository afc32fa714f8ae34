import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

/// An enterprise's contact person's name is personal data: stored encrypted, shown masked to the public, in full
/// only to the enterprise itself and market regulators, and never on a topic.
@Suite("Enterprise contact names: encrypted at rest, masked in public")
struct ContactNameTests {
    struct EnterpriseBody: Decodable {
        var contactName: String?
        var contactNameMasked: String?
        var contactPhoneMasked: String?
    }

    @Test func theNameIsStoredEncryptedAndShownMaskedExceptToTheEntitled() async throws {
        let harness = try await CatalogueHarness.make()
        let code = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(code)
            for headers: HTTPFields in [[:], Tokens.consumer, Tokens.certificationBody, Tokens.enterprise(Sample.creditCode()),
                                        Tokens.ministry(.mohurd)] {
                try await client.execute(uri: "/enterprises/\(code)", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    let body = try response.json(EnterpriseBody.self)
                    #expect(body.contactNameMasked == "王**")
                    #expect(body.contactName == nil)
                    #expect(!response.text.contains("王经理"))
                }
            }
            for headers in [Tokens.enterprise(code), Tokens.marketRegulator("330106"), Tokens.ministry(.samr)] {
                try await client.execute(uri: "/enterprises/\(code)", method: .get, headers: headers) { response in
                    let body = try response.json(EnterpriseBody.self)
                    #expect(body.contactName == "王经理")
                    #expect(body.contactNameMasked == "王**")
                }
            }
            // An update stores the new name encrypted too.
            try await client.execute(uri: "/enterprises/\(code)", method: .patch, headers: Tokens.enterprise(code),
                                     body: ByteBuffer(string: #"{"contactName":"李四"}"#)) { response in
                #expect(response.status == .ok)
                let body = try response.json(EnterpriseBody.self)
                #expect(body.contactName == "李四")
            }
            try await client.execute(uri: "/enterprises/\(code)", method: .get) { response in
                let body = try response.json(EnterpriseBody.self)
                #expect(body.contactNameMasked == "李*")
            }
        }
        let stored = try await harness.pool.query("""
            SELECT contact_name, contact_name_encrypted FROM \(identifier: harness.schema).enterprises WHERE credit_code = \(code)
            """)
        let row = try #require(stored.first)
        #expect(try row.decode("contact_name", as: String?.self) == nil)
        let sealed = try #require(try row.decode("contact_name_encrypted", as: String?.self))
        #expect(sealed.hasPrefix(PersonalDataProtector.ciphertextPrefix))
        #expect(try harness.host.context.personalData.decrypt(sealed) == "李四")
        // No event carries the name, in clear or masked (no relay runs here: every event is still in the outbox).
        let payloads = try await harness.pool.query("SELECT payload AS p FROM \(identifier: harness.schema).outbox_payload")
        #expect(!payloads.isEmpty)
        #expect(try payloads.rows.allSatisfy { row in
            let text = try row.decode("p", as: String.self)
            return !text.contains("王") && !text.contains("李")
        })
        await harness.close()
    }

    /// Names stored in clear before the migration are encrypted by the start-up work, once, and read back.
    @Test func namesStoredInClearBeforeAreEncryptedAtStartUp() async throws {
        let harness = try await CatalogueHarness.make()
        let codes = (0..<3).map { _ in Sample.creditCode() }
        try await harness.withClient { client in
            for code in codes { try await client.registerEnterprise(code) }
        }
        // As the rows were before migration 107: the name in clear, nothing encrypted.
        try await harness.pool.query("""
            UPDATE \(identifier: harness.schema).enterprises
            SET contact_name = '张三丰', contact_name_encrypted = NULL, contact_name_masked = NULL
            WHERE credit_code = ANY(\(codes))
            """)
        try await harness.host.definition.startUp?(harness.host.context)
        let rows = try await harness.pool.query("""
            SELECT contact_name, contact_name_encrypted, contact_name_masked FROM \(identifier: harness.schema).enterprises
            WHERE credit_code = ANY(\(codes))
            """)
        #expect(rows.rows.count == 3)
        for row in rows.rows {
            #expect(try row.decode("contact_name", as: String?.self) == nil)
            #expect(try row.decode("contact_name_masked", as: String?.self) == "张**")
            let sealed = try #require(try row.decode("contact_name_encrypted", as: String?.self))
            #expect(try harness.host.context.personalData.decrypt(sealed) == "张三丰")
        }
        // Running it again has nothing left to do.
        try await harness.host.definition.startUp?(harness.host.context)
        try await harness.withClient { client in
            try await client.execute(uri: "/enterprises/\(codes[0])", method: .get, headers: Tokens.enterprise(codes[0])) { response in
                let body = try response.json(EnterpriseBody.self)
                #expect(body.contactName == "张三丰")
            }
        }
        await harness.close()
    }

    @Test func aNameIsMaskedToItsFirstCharacter() {
        #expect(PersonalDataProtector.maskName("王经理") == "王**")
        #expect(PersonalDataProtector.maskName(" 欧阳修 ") == "欧**")
        #expect(PersonalDataProtector.maskName("Li") == "L*")
        #expect(PersonalDataProtector.maskName("王") == "*")
        #expect(PersonalDataProtector.maskName("") == "")
    }
}
