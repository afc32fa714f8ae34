import Catalogue
import Contracts
import Foundation
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
}
