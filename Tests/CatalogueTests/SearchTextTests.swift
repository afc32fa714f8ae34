@testable import Catalogue
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("Search text and bigrams")
struct SearchTextTests {
    static let texts = [
        "cgbm-2023-0001 外墙保温材料 m-1 浙江绿筑新材料科技有限公司 浙江绿筑新材料科技有限公司",
        "SBS改性沥青防水卷材 Low-E中空玻璃", "断桥铝合金节能门窗  双空格", "aa aa aa", "Ab", "保", "", "emoji 🌾🌾 ok",
        "e\u{301} é", "ÄÖÜ straße",
    ]

    /// The rows imported before the service wrote its own bigrams got them from the database's `text_bigrams`:
    /// both must give the same for the same text, or old rows would stop matching.
    @Test func theServicesBigramsAreTheDatabaseFunctions() async throws {
        let harness = try await CatalogueHarness.make()
        for text in Self.texts {
            let row = try #require(try await harness.pool.query("SELECT text_bigrams(\(text)) AS b").first)
            #expect(SearchText.bigrams(of: text) == (try row.decode("b", as: [String].self)), "\(text)")
        }
        await harness.close()
    }

    @Test func issuedCertificatesStoreTheirTextsBigramsAndARenameRefreshesThem() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = "CGBM-T-" + UUID().uuidString.prefix(6).uppercased()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder, name: "浙江绿筑新材料科技有限公司")
            try await client.issueCertificate(Sample.certificate(number, holder: holder, productName: "外墙保温材料"))
            try await client.execute(
                uri: "/enterprises/\(holder)", method: .patch, headers: Tokens.certificationBody,
                body: ByteBuffer(string: #"{"name": "福建闽筑节能科技有限公司"}"#)) { response in
                #expect(response.status == .ok, "\(response.text)")
            }
            func found(_ text: String) async throws -> Bool {
                try await client.execute(
                    uri: "/products?q=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                    method: .get) { response in
                    try response.json(ProductPageBody.self).items.contains { $0.certificateNumber == number }
                }
            }
            #expect(try await found("闽筑"), "found by the enterprise's new name")
            #expect(!(try await found("绿筑")), "no longer by the old one")
            #expect(try await found("保温"))
        }
        let row = try #require(try await harness.pool.query("""
            SELECT search_text, search_bigrams = text_bigrams(search_text) AS consistent
            FROM certificates WHERE number = \(number)
            """).first)
        #expect(try row.decode("search_text", as: String.self).contains("福建闽筑节能科技有限公司"))
        #expect(try row.decode("consistent", as: Bool.self))
        await harness.close()
    }
}
