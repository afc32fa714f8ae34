import Catalogue
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Ranking quality on the labelled set `seeds/catalogue/search-judgments.json` over the sample catalogue: the
/// default order of a text search (relevance) against the certificate-number order searches had before.
@Suite("Search ranking on a labelled set")
struct SearchRankingTests {
    struct Judgments: Decodable {
        struct Query: Decodable {
            var q: String
            var relevant: Set<String>
        }
        var queries: [Query]
    }

    struct Page: Decodable {
        struct Item: Decodable {
            var certificateNumber: String
            var productName: String
            var subCategory: String
            var status: String
        }
        var items: [Item]
        var nextCursor: String?
    }

    /// Gain of a result: 2 for a valid certificate of a relevant sub-category, 1 for one no longer valid, else 0.
    static func gain(_ item: Page.Item, _ relevant: Set<String>) -> Double {
        guard relevant.contains(item.subCategory.split(separator: "/").last.map(String.init) ?? item.subCategory) else { return 0 }
        return item.status == "valid" ? 2 : 1
    }

    /// nDCG@k against the ideal order of every judged certificate of the catalogue (so it also counts what the text
    /// cannot find).
    static func ndcg(_ gains: [Double], ideal: [Double], k: Int = 10) -> Double {
        func dcg(_ values: [Double]) -> Double {
            values.prefix(k).enumerated().reduce(0) { $0 + (pow(2, $1.element) - 1) / log2(Double($1.offset) + 2) }
        }
        let best = dcg(ideal.sorted(by: >))
        return best == 0 ? 0 : dcg(gains) / best
    }

    @Test func relevanceRanksTheSoughtProductsFirstAndBeatsTheNumberOrderOnEveryQuery() async throws {
        let judgments = try JSONDecoder().decode(
            Judgments.self, from: Data(contentsOf: RepositoryFiles.root.appendingPathComponent("seeds/catalogue/search-judgments.json")))
        let harness = try await CatalogueHarness.make()
        let seed = try #require(harness.host.definition.seed)
        try await seed(harness.host.context, RepositoryFiles.root.appendingPathComponent("seeds").path)
        try await harness.withClient { client in
            func page(_ query: String) async throws -> Page {
                try await client.execute(uri: "/products?limit=200&" + query, method: .get) { response in
                    #expect(response.status == .ok, "\(query): \(response.text)")
                    return try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
                }
            }
            // Every judged certificate, for the ideal orders.
            var catalogue: [Page.Item] = []
            var cursor: String?
            repeat {
                let next = try await page("sort=number" + (cursor.map { "&cursor=\($0)" } ?? ""))
                catalogue += next.items
                cursor = next.nextCursor
            } while cursor != nil
            var lines = ["| q | matches | nDCG@10 relevance | nDCG@10 by number | P@10 relevance | P@10 by number |", "|---|---|---|---|---|---|"]
            var totals = (ranked: 0.0, numbered: 0.0)
            for query in judgments.queries {
                let encoded = "q=" + query.q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let ranked = try await page(encoded).items
                let numbered = try await page(encoded + "&sort=number").items
                #expect(Set(ranked.map(\.certificateNumber)) == Set(numbered.map(\.certificateNumber)), "the same matches: \(query.q)")
                let ideal = catalogue.map { Self.gain($0, query.relevant) }
                let ndcgRanked = Self.ndcg(ranked.map { Self.gain($0, query.relevant) }, ideal: ideal)
                let ndcgNumbered = Self.ndcg(numbered.map { Self.gain($0, query.relevant) }, ideal: ideal)
                func precision(_ items: [Page.Item]) -> Double {
                    Double(items.prefix(10).filter { Self.gain($0, query.relevant) == 2 }.count) / 10
                }
                #expect(ndcgRanked >= ndcgNumbered, "\(query.q): relevance \(ndcgRanked) < number order \(ndcgNumbered)")
                // Products named with the text come before those found only by their enterprise's name.
                let named = ranked.map { $0.productName.contains(query.q) }
                #expect(named == named.sorted { $0 && !$1 }, "\(query.q): a product-name match after an enterprise-name match")
                totals.ranked += ndcgRanked
                totals.numbered += ndcgNumbered
                lines.append(String(format: "| %@ | %d | %.2f | %.2f | %.1f | %.1f |", query.q, ranked.count, ndcgRanked, ndcgNumbered,
                                    precision(ranked), precision(numbered)))
            }
            let count = Double(judgments.queries.count)
            lines.append(String(format: "| mean | | %.2f | %.2f | | |", totals.ranked / count, totals.numbered / count))
            print(lines.joined(separator: "\n"))
            #expect(totals.ranked > totals.numbered)
        }
        await harness.close()
    }

    @Test func aRankedSearchPagesWithItsCursorAndRefusesRelevanceWithoutText() async throws {
        let harness = try await CatalogueHarness.make()
        let seed = try #require(harness.host.definition.seed)
        try await seed(harness.host.context, RepositoryFiles.root.appendingPathComponent("seeds").path)
        try await harness.withClient { client in
            let q = "q=" + "涂料".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let all = try await client.execute(uri: "/products?limit=200&" + q, method: .get) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }.items.map(\.certificateNumber)
            var paged: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.execute(uri: "/products?limit=7&\(q)" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get) {
                    try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
                }
                paged += page.items.map(\.certificateNumber)
                cursor = page.nextCursor
            } while cursor != nil && paged.count < 500
            #expect(paged == all)
            #expect(all.count > 7)
            for uri in ["/products?sort=relevance", "/products?\(q)&sort=-relevance"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unprocessableContent, "\(uri)")
                    #expect(response.problem?.errors.map(\.field) == ["sort"], "\(uri): \(response.text)")
                }
            }
            // A relevance cursor is refused with another sort, and another sort's cursor with relevance.
            let ranked = try await client.execute(uri: "/products?limit=2&\(q)", method: .get) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            try await client.execute(uri: "/products?limit=2&\(q)&sort=number&cursor=\(ranked.nextCursor!)", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        await harness.close()
    }

    /// The ranked order read tier by tier (names first, then the enterprise-only matches in number order, valid before
    /// not valid) is the order of ranking every match, on every page size and across the tiers' borders.
    @Test func theTiersReadInTurnGiveTheRankedOrderOnEveryPageSize() async throws {
        let harness = try await CatalogueHarness.make()
        let maker = Sample.creditCode(), other = Sample.creditCode()
        let tag = UUID().uuidString.prefix(6).uppercased()
        @Sendable func number(_ index: Int) -> String { "CGBM-T\(index)-\(tag)" }
        try await harness.withClient { client in
            try await client.registerEnterprise(maker, name: "浙江门窗科技有限公司")
            try await client.registerEnterprise(other, name: "山东鲁建新材料有限公司")
            // (number, holder, product name, revoked); numbers out of the expected order on purpose.
            let products: [(Int, String, String, Bool)] = [
                (9, maker, "门窗", false), (3, maker, "门窗密封条", false), (1, maker, "断桥门窗", false),
                (5, other, "节能门窗玻璃", false), (2, maker, "铝合金门窗", true), (8, maker, "岩棉保温板", false),
                (4, maker, "外墙涂料", false), (7, maker, "防水卷材", true), (6, other, "岩棉板", false),
                (0, maker, "地暖管", true),
            ]
            for (index, holder, name, _) in products {
                try await client.issueCertificate(Sample.certificate(number(index), holder: holder, productName: name))
            }
            for (index, _, _, revoked) in products where revoked {
                try await client.execute(uri: "/certificates/\(number(index))/revoke", method: .post, headers: Tokens.certificationBody,
                                         body: ByteBuffer(string: #"{"reason":"监督抽查不合格"}"#)) { response in
                    #expect(response.status == .ok, "\(response.text)")
                }
            }
            // The whole name (100); its beginning or end (101, by number); inside (102); revoked (111); then only the
            // enterprise's name: valid (302) and revoked (312), each by number. 岩棉板 has no 门窗 anywhere.
            let expected = [9, 1, 3, 5, 2, 4, 8, 0, 7].map(number)
            let q = "q=" + "门窗".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for size in [1, 2, 3, 4, 20] {
                var paged: [String] = []
                var cursor: String?
                repeat {
                    let page = try await client.execute(uri: "/products?limit=\(size)&\(q)" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                                        method: .get) {
                        try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
                    }
                    paged += page.items.map(\.certificateNumber)
                    cursor = page.nextCursor
                } while cursor != nil && paged.count < 50
                #expect(paged == expected, "pages of \(size)")
            }
            // Three characters (checked against the text, not only its bigrams), and a filter on every tier.
            let three = "q=" + "门窗密".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let found = try await client.execute(uri: "/products?\(three)", method: .get) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            #expect(found.items.map(\.certificateNumber) == [number(3)])
            let valid = try await client.execute(uri: "/products?status=valid&\(q)", method: .get) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            #expect(valid.items.map(\.certificateNumber) == [9, 1, 3, 5, 4, 8].map(number))
            let company = "q=" + "科技有限".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let byName = try await client.execute(uri: "/products?\(company)", method: .get) {
                try JSONDecoder().decode(Page.self, from: Data(buffer: $0.body))
            }
            #expect(byName.items.map(\.certificateNumber) == [1, 3, 4, 8, 9, 0, 2, 7].map(number), "enterprise-only: valid, then not")
        }
        await harness.close()
    }
}
