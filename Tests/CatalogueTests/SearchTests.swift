import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Postgres
import Testing

@Suite("Search, verification and the change feed")
struct SearchTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Five products from two enterprises.
    static func seed(_ client: some TestClientProtocol, holder: String, other: String) async throws -> [String] {
        try await client.registerEnterprise(holder, name: "浙江绿筑新材料科技有限公司")
        try await client.registerEnterprise(other, name: "山东鲁建门窗有限公司", region: "370102")
        let numbers = (0..<5).map { "CGBM-S-\($0)-" + UUID().uuidString.prefix(6).uppercased() }
        try await client.issueCertificate(Sample.certificate(numbers[0], holder: holder, productName: "外墙保温材料",
                                                             grade: "one-star", issuedOn: "2023-01-01"))
        try await client.issueCertificate(Sample.certificate(numbers[1], holder: holder, productName: "岩棉保温板",
                                                             grade: "two-star", issuedOn: "2023-02-01"))
        try await client.issueCertificate(Sample.certificate(
            numbers[2], holder: other, productName: "断桥铝合金节能窗", grade: "three-star",
            category: "windows-curtain-walls-and-decoration", subCategory: "energy-saving-windows", issuedOn: "2023-03-01"))
        try await client.issueCertificate(Sample.certificate(
            numbers[3], holder: other, productName: "外墙涂料", grade: "two-star",
            category: "waterproofing-sealing-and-coatings", subCategory: "architectural-coatings", issuedOn: "2023-04-01"))
        try await client.issueCertificate(Sample.certificate(
            numbers[4], holder: other, productName: "防水卷材", grade: "three-star",
            category: "waterproofing-sealing-and-coatings", subCategory: "waterproof-membranes", issuedOn: "2023-05-01"))
        return numbers
    }

    @Test func findsTwoCharacterChineseTermsAndFilters() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode(), other = Sample.creditCode(region: "370102")
        try await harness.withClient { client in
            let numbers = try await Self.seed(client, holder: holder, other: other)
            func search(_ query: String) async throws -> [String] {
                try await client.execute(uri: "/products?" + query, method: .get) { response in
                    #expect(response.status == .ok, "\(query): \(response.text)")
                    return try response.json(ProductPageBody.self).items.map(\.certificateNumber)
                }
            }
            #expect(Set(try await search("q=" + Self.encoded("保温"))) == [numbers[0], numbers[1]])
            #expect(try await search("q=" + Self.encoded("外墙保温材料")) == [numbers[0]])
            #expect(Set(try await search("q=" + Self.encoded("门窗"))) == Set(numbers[2...4]), "by the enterprise's name")
            #expect(try await search("q=" + Self.encoded("窗")).contains(numbers[2]))
            #expect(Set(try await search("q=" + Self.encoded("外墙"))) == [numbers[0], numbers[3]])
            #expect(try await search("q=" + Self.encoded("温材"))  == [numbers[0]])
            #expect(try await search("q=" + Self.encoded("保温涂")) == [])
            #expect(Set(try await search("grade=three-star")) == [numbers[2], numbers[4]])
            #expect(Set(try await search("category=waterproofing-sealing-and-coatings")) == [numbers[3], numbers[4]])
            #expect(try await search("category=waterproofing-sealing-and-coatings&subCategory=waterproof-membranes") == [numbers[4]])
            #expect(Set(try await search("enterprise=\(holder)")) == [numbers[0], numbers[1]])
            #expect(try await search("q=" + Self.encoded("外墙") + "&grade=two-star") == [numbers[3]])
            #expect(try await search("status=revoked") == [])
            try await client.execute(uri: "/products?grade=four-star&sort=price&limit=0", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problem?.errors.map(\.field) ?? []) == ["grade", "sort", "limit"])
            }
        }
        await harness.close()
    }

    /// A parameter given twice, or an empty sub-category, is refused naming it (the document says one value each).
    @Test func refusesARepeatedParameterAndAnEmptySubCategory() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            for uri in ["/verify?certificate=CGBM-1234&certificate=CGBM-5678", "/products?limit=1&limit=2",
                        "/changes?since=0&since=1", "/products?subCategory="] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unprocessableContent, "\(uri)")
                    let field = uri.split(separator: "?")[1].split(separator: "=")[0]
                    #expect(response.problem?.errors.map(\.field) == [String(field)], "\(uri): \(response.text)")
                }
            }
        }
        await harness.close()
    }

    @Test func pagesWithAStableCursorInEitherSortDirection() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            let numbers = try await Self.seed(client, holder: Sample.creditCode(), other: Sample.creditCode())
            for (sort, expected) in [("issuedOn", numbers), ("-issuedOn", Array(numbers.reversed()))] {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let uri = "/products?limit=2&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await client.execute(uri: uri, method: .get) { try $0.json(ProductPageBody.self) }
                    seen += page.items.map(\.certificateNumber)
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(seen == expected, "sort \(sort)")
                #expect(pages == 3)
            }
            try await client.execute(uri: "/products?cursor=nonsense", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        await harness.close()
    }

    /// A cursor from one sort reused with another once reached a `::date` cast and a 500.
    @Test func aCursorContinuesOnlyTheSortThatReturnedIt() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            _ = try await Self.seed(client, holder: Sample.creditCode(), other: Sample.creditCode())
            let page = try await client.execute(uri: "/products?limit=2&sort=productName", method: .get) {
                try $0.json(ProductPageBody.self)
            }
            let cursor = try #require(page.nextCursor)
            for sort in ["issuedOn", "-productName", "expiresOn"] {
                try await client.execute(uri: "/products?limit=2&sort=\(sort)&cursor=\(cursor)", method: .get) { response in
                    #expect(response.status == .unprocessableContent, "sort \(sort): \(response.text)")
                    #expect(response.problem?.errors.map(\.field) == ["cursor"])
                }
            }
            // A hand-made cursor without a sort, whose value is no date, is refused for a date sort too.
            let forged = Data(#"{"value":"not-a-date","number":"CGBM-1"}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "")
            try await client.execute(uri: "/products?sort=issuedOn&cursor=\(forged)", method: .get) { response in
                #expect(response.status == .unprocessableContent, "\(response.text)")
            }
            try await client.execute(uri: "/products?limit=2&sort=productName&cursor=\(cursor)", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        await harness.close()
    }

    struct VerificationBody: Decodable {
        var found: Bool
        var valid: Bool
        var statusOnDate: String?
        var currentStatus: String?
        var onLocalList: Bool?
        var underInvestigation: Bool
    }

    @Test func verifiesValidityOnADateAndLocalListMembership() async throws {
        let clock = TestClock()
        let harness = try await CatalogueHarness.make(clock: clock)
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.approveRegion("330000", name: "浙江省")
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder, issuedOn: "2023-01-10"))
            try await client.execute(uri: "/regions/330000/local-list/entries", method: .post,
                                     headers: Tokens.regionOfficial("330000"),
                                     body: ByteBuffer(string: #"{"basis":"certified","certificateNumber":"\#(number)"}"#)) {
                #expect($0.status == .created, "\($0.text)")
            }
            clock.set(day: "2023-08-01")
            try await client.execute(uri: "/certificates/\(number)/revoke", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"reason":"违规"}"#)) { #expect($0.status == .ok) }
            func verify(_ query: String) async throws -> VerificationBody {
                try await client.execute(uri: "/verify?" + query, method: .get) { response in
                    #expect(response.status == .ok, "\(response.text)")
                    return try response.json(VerificationBody.self)
                }
            }
            let before = try await verify("certificate=\(number)&date=2023-07-15&region=330106")
            #expect(before.valid && before.statusOnDate == "valid" && before.currentStatus == "revoked")
            #expect(before.onLocalList == true, "a county inside the province's list")
            let after = try await verify("certificate=\(number)&date=2023-08-02&region=370000")
            #expect(!after.valid && after.statusOnDate == "revoked" && after.onLocalList == false)
            let beforeIssue = try await verify("certificate=\(number)&date=2022-12-31")
            #expect(!beforeIssue.valid && beforeIssue.onLocalList == nil)
            let unknown = try await verify("certificate=CGBM-NOPE-0001&date=2023-07-15")
            #expect(!unknown.found && !unknown.valid)
            try await client.execute(uri: "/verify?date=2023-13-01&region=12", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problem?.errors.map(\.field) ?? []) == ["certificate", "date", "region"])
            }
        }
        await harness.close()
    }

    struct ChangesBody: Decodable {
        struct Item: Decodable {
            var certificateNumber: String
            var status: String
        }

        var items: [Item]
        var nextCursor: String
    }

    /// Two writers that take change numbers in one order and commit in the other must not make a reader's
    /// cursor skip the first: the second writer waits for the first to commit.
    @Test func theChangeFeedNeverSkipsAChangeThatCommitsLate() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            let numbers = try await Self.seed(client, holder: Sample.creditCode(), other: Sample.creditCode())
            let start = try await client.execute(uri: "/changes?since=0&limit=1000", method: .get) { try $0.json(ChangesBody.self) }
            let touch: @Sendable (String) -> PostgresQuery = { number in
                "UPDATE certificates SET updated_at = now(), change_seq = nextval('certificate_change_seq') WHERE number = \(number)"
            }
            try await harness.pool.withConnection { early in
                try await early.query("BEGIN")
                try await early.query(touch(numbers[0]))  // takes the lower number, commits last
                let earlyPID = try #require(try await early.query("SELECT pg_backend_pid() AS pid").first?.decode("pid", as: Int32.self))
                let late = Task { try await harness.pool.transaction { try await $0.query(touch(numbers[1])) } }
                let lateWaits = await eventually(timeout: .seconds(30)) {
                    let waiting = try? await harness.pool.query(
                        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE \(earlyPID) = ANY(pg_blocking_pids(pid))")
                    return (try? waiting?.first?.decode("n", as: Int.self)) == 1
                }
                #expect(lateWaits, "the later writer waits for the earlier one's change-feed lock")
                let during = try await client.execute(uri: "/changes?since=\(start.nextCursor)", method: .get) {
                    try $0.json(ChangesBody.self)
                }
                #expect(during.items.isEmpty, "nothing is visible before the earlier number commits")
                try await early.query("COMMIT")
                try await late.value
                let after = try await client.execute(uri: "/changes?since=\(during.nextCursor)", method: .get) {
                    try $0.json(ChangesBody.self)
                }
                #expect(after.items.map(\.certificateNumber) == [numbers[0], numbers[1]])
            }
        }
        await harness.close()
    }

    @Test func theChangeFeedListsProductsChangedSinceACursor() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            let numbers = try await Self.seed(client, holder: Sample.creditCode(), other: Sample.creditCode())
            let first = try await client.execute(uri: "/changes?since=0&limit=3", method: .get) { try $0.json(ChangesBody.self) }
            #expect(first.items.map(\.certificateNumber) == Array(numbers[0..<3]))
            let rest = try await client.execute(uri: "/changes?since=\(first.nextCursor)", method: .get) { try $0.json(ChangesBody.self) }
            #expect(rest.items.map(\.certificateNumber) == Array(numbers[3...]))
            try await client.execute(uri: "/certificates/\(numbers[1])/suspend", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"reason":"抽检"}"#)) { #expect($0.status == .ok) }
            let after = try await client.execute(uri: "/changes?since=\(rest.nextCursor)", method: .get) { try $0.json(ChangesBody.self) }
            #expect(after.items.map(\.certificateNumber) == [numbers[1]])
            #expect(after.items.first?.status == "suspended")
            let empty = try await client.execute(uri: "/changes?since=\(after.nextCursor)", method: .get) { try $0.json(ChangesBody.self) }
            #expect(empty.items.isEmpty && empty.nextCursor == after.nextCursor)
        }
        await harness.close()
    }
}
