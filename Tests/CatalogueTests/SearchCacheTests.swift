@testable import Catalogue
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

/// Stored search answers and the search's ETag: never an answer older than the catalogue, whoever wrote to it.
@Suite("Search answers kept while the catalogue is unchanged")
struct SearchCacheTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// The same scenario with the store on and off: the answers must not differ.
    @Test(arguments: [4096, 0])
    func everyWriteIsSeenAtOnceAndTheETagAnswersNotModifiedUntilThen(entries: Int) async throws {
        let harness = try await CatalogueHarness.make(searchCacheEntries: entries)
        let holder = Sample.creditCode(), other = Sample.creditCode(region: "370102")
        let pool = harness.pool
        try await harness.withClient { client in
            let numbers = try await SearchTests.seed(client, holder: holder, other: other)
            struct Answer {
                var numbers: [String]
                var statuses: [String]
                var tag: String
            }
            func search(_ query: String) async throws -> Answer {
                try await client.execute(uri: "/products?" + query, method: .get) { response in
                    #expect(response.status == .ok, "\(query): \(response.text)")
                    #expect(response.headers[.cacheControl] == "no-cache")
                    let page = try response.json(ProductPageBody.self)
                    return Answer(numbers: page.items.map(\.certificateNumber), statuses: page.items.map(\.status),
                                  tag: try #require(response.headers[.eTag]))
                }
            }
            func notModified(_ query: String, _ tag: String, current: String? = nil) async throws -> Bool {
                try await client.execute(uri: "/products?" + query, method: .get, headers: [.ifNoneMatch: tag]) { response in
                    if response.status == .notModified {
                        #expect(response.body.readableBytes == 0)
                        #expect(response.headers[.eTag] == (current ?? tag))
                        return true
                    }
                    #expect(response.status == .ok, "\(response.text)")
                    return false
                }
            }
            let insulation = "q=" + Self.encoded("保温")
            let first = try await search(insulation)
            #expect(Set(first.numbers) == [numbers[0], numbers[1]])
            let again = try await search(insulation)
            #expect(again.numbers == first.numbers && again.tag == first.tag)
            #expect(try await notModified(insulation, first.tag))
            #expect(try await notModified(insulation, "\"x\", " + first.tag, current: first.tag), "one of a list")
            #expect(try await notModified(insulation, "*", current: first.tag))
            #expect(try await !notModified(insulation, "W/\"c0\""))

            // A certificate issued: in the next answer, with a new tag; the old tag no longer answers 304.
            let added = Sample.certificateNumber()
            try await client.issueCertificate(Sample.certificate(added, holder: holder, productName: "保温砂浆"))
            let afterIssue = try await search(insulation)
            #expect(Set(afterIssue.numbers) == [numbers[0], numbers[1], added])
            #expect(afterIssue.tag != first.tag)
            #expect(try await !notModified(insulation, first.tag))

            // A status change.
            try await client.execute(uri: "/certificates/\(numbers[1])/revoke", method: .post,
                                     headers: Tokens.certificationBody, body: ByteBuffer(string: #"{"reason":"伪造检测报告"}"#)) { response in
                #expect(response.status == .ok, "\(response.text)")
            }
            let afterRevoke = try await search(insulation)
            #expect(afterRevoke.statuses[afterRevoke.numbers.firstIndex(of: numbers[1])!] == "revoked")

            // An enterprise renamed: its products are found by the new name at once.
            let byName = "q=" + Self.encoded("门窗股份")
            #expect(try await search(byName).numbers.isEmpty)
            try await client.execute(uri: "/enterprises/\(holder)", method: .patch, headers: Tokens.enterprise(holder),
                                     body: ByteBuffer(string: #"{"name":"浙江绿筑门窗股份有限公司"}"#)) { response in
                #expect(response.status == .ok, "\(response.text)")
            }
            #expect(Set(try await search(byName).numbers) == [numbers[0], numbers[1], added])

            // A local-list entry: the region filter sees it at once.
            try await harness.approveRegion("330000")
            let onList = "region=330000&" + insulation
            #expect(try await search(onList).numbers.isEmpty)
            try await client.execute(uri: "/regions/330000/local-list/entries", method: .post, headers: Tokens.regionOfficial("330000"),
                                     body: ByteBuffer(string: #"{"basis":"certified","certificateNumber":"\#(numbers[0])"}"#)) { response in
                #expect(response.status == .created, "\(response.text)")
            }
            #expect(try await search(onList).numbers == [numbers[0]])

            // Another replica's write (straight to the shared schema, as a second instance would commit it) is seen
            // by this one's next request, which reads the version first.
            let before = try await search(insulation)
            try await pool.query("""
                UPDATE certificates SET product_name = '保温装饰一体板', change_seq = nextval('certificate_change_seq')
                WHERE number = \(numbers[0])
                """)
            let after = try await search(insulation)
            #expect(after.tag != before.tag)
            try await client.execute(uri: "/products?" + insulation, method: .get) { response in
                #expect(response.text.contains("保温装饰一体板"))
            }
        }
        await harness.close()
    }

    @Test func keepsTheMostRecentlyUsedAnswersWithinItsCapacityAndDropsThemAllOnANewVersion() {
        let cache = SearchCache(capacity: 8)
        for index in 0..<8 { cache.store([UInt8(index)], for: "q\(index)", at: 5) }
        #expect(cache.count == 8)
        #expect(cache.answer(for: "q3", at: 5) == [3])
        #expect(cache.answer(for: "q3", at: 6) == nil, "another version")
        _ = cache.answer(for: "q0", at: 5)
        cache.store([8], for: "q8", at: 5)
        #expect(cache.count <= 8)
        #expect(cache.answer(for: "q0", at: 5) == [0] && cache.answer(for: "q8", at: 5) == [8], "recently used kept")
        #expect(cache.answer(for: "q1", at: 5) == nil, "least recently used dropped")
        cache.store([9], for: "q9", at: 4)
        #expect(cache.answer(for: "q9", at: 4) == nil, "an answer older than the stored ones is not kept")
        cache.store([10], for: "q10", at: 7)
        #expect(cache.count == 1 && cache.answer(for: "q0", at: 5) == nil, "a newer version drops every answer")
        let off = SearchCache(capacity: 0)
        off.store([1], for: "q", at: 1)
        #expect(off.answer(for: "q", at: 1) == nil)
    }
}
