import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// A search of the certified products: text (bigram-indexed, so two-character Chinese terms like 保温 work),
/// filters, one sort order and a stable keyset cursor (the last row's sort value and certificate number).
///
/// A text search is ranked by relevance unless another sort is asked for (``Relevance``): what a person typing
/// 门窗 wants first is doors and windows, not every product of an enterprise with 门窗 in its name.
struct ProductSearch: Sendable {
    enum SortKey: String, Sendable, CaseIterable {
        case relevance, number, productName, issuedOn, expiresOn

        var column: String {
            switch self {
            case .relevance: "search_rank"
            case .number: "c.number"
            case .productName: "c.product_name"
            case .issuedOn: "c.issued_on"
            case .expiresOn: "c.expires_on"
            }
        }

        var cast: String {
            switch self {
            case .relevance: "integer"
            case .number, .productName: "text"
            case .issuedOn, .expiresOn: "date"
            }
        }

        /// The values of the `sort` parameter: each key ascending and descending, relevance best first only.
        static var parameterValues: [String] {
            allCases.flatMap { $0 == .relevance ? [$0.rawValue] : [$0.rawValue, "-" + $0.rawValue] }
        }
    }

    /// The relevance of a product to a search text, as one integer, smaller first:
    ///
    /// 1. where the text is: the certificate number or model exactly (0), the product name (1), the model or number
    ///    (2), only the holder's or manufacturer's name (3);
    /// 2. valid certificates before suspended, revoked, cancelled or expired ones;
    /// 3. the whole term before a fragment: the product name is the text (0), begins or ends with it (1; Chinese
    ///    product names put the material first and the product last, 岩棉外墙保温板), holds it inside (2).
    ///
    /// Ties go by certificate number, so pages are stable.
    enum Relevance {
        static func expression(needle: String) -> String {
            """
            ((CASE WHEN lower(c.number) = \(needle) OR lower(c.model) = \(needle) THEN 0
                   WHEN strpos(lower(c.product_name), \(needle)) > 0 THEN 1
                   WHEN strpos(lower(c.model), \(needle)) > 0 OR strpos(lower(c.number), \(needle)) > 0 THEN 2
                   ELSE 3 END) * 100
             + (CASE WHEN c.status = 'valid' THEN 0 ELSE 10 END)
             + (CASE WHEN lower(c.product_name) = \(needle) THEN 0
                     WHEN starts_with(lower(c.product_name), \(needle))
                          OR right(lower(c.product_name), length(\(needle))) = \(needle) THEN 1
                     ELSE 2 END))
            """
        }
    }

    /// Where the previous page ended, and the order it was reading in: a cursor continues only the sort that
    /// returned it.
    struct Cursor: Codable, Sendable, Equatable {
        var value: String
        var number: String
        /// The `sort` parameter of the page that returned it (`-issuedOn`); absent in cursors from before it was kept.
        var sort: String?

        var token: String {
            let data = (try? JSONEncoder().encode(self)) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        init(value: String, number: String, sort: String) {
            self.value = value
            self.number = number
            self.sort = sort
        }

        init?(token: String) {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64),
                  let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
            else { return nil }
            self = cursor
        }
    }

    var text: String?
    var category: ProductCategory?
    var subCategory: String?
    var starGrade: StarGrade?
    var status: CertificateStatus?
    var enterprise: UnifiedSocialCreditCode?
    var localListRegion: DivisionCode?
    var underInvestigation: Bool?
    var sort: SortKey = .number
    var descending = false
    var limit = 20
    var cursor: Cursor?

    /// Reads the query string; every bad parameter is reported at once.
    init(parameters: Parameters) throws(Problem) {
        var validator = Validator()
        Self.requireOnce(parameters, ["q", "category", "subCategory", "grade", "status", "enterprise", "region",
                                      "underInvestigation", "sort", "limit", "cursor"], &validator)
        if let q = parameters.get("q")?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            validator.require(q.unicodeScalars.count <= 100, field: "q", "must be at most 100 characters")
            text = q
        }
        if let value = parameters.get("category") {
            category = ProductCategory(rawValue: value)
            validator.require(category != nil, field: "category",
                              "unknown category; one of " + ProductCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let value = parameters.get("subCategory") {
            validator.require(!value.isEmpty && value.unicodeScalars.count <= 200, field: "subCategory", "must be 1–200 characters")
            subCategory = value
        }
        if let value = parameters.get("grade") {
            starGrade = StarGrade(rawValue: value)
            validator.require(starGrade != nil, field: "grade",
                              "must be one of " + StarGrade.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let value = parameters.get("status") {
            status = CertificateStatus(rawValue: value)
            validator.require(status != nil, field: "status",
                              "must be one of " + CertificateStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let value = parameters.get("enterprise") {
            enterprise = validator.check(field: "enterprise") { try UnifiedSocialCreditCode(validating: value) }
        }
        if let value = parameters.get("region") {
            localListRegion = validator.check(field: "region") { try DivisionCode(validating: value) }
        }
        if let value = parameters.get("underInvestigation") {
            underInvestigation = Bool(value)
            validator.require(underInvestigation != nil, field: "underInvestigation", "must be true or false")
        }
        if var value = parameters.get("sort") {
            if value.hasPrefix("-") {
                descending = true
                value.removeFirst()
            }
            if let key = SortKey(rawValue: value), !(key == .relevance && descending) {
                sort = key
                validator.require(key != .relevance || text != nil, field: "sort", "relevance needs a search text (q)")
            } else {
                validator.add(field: "sort", reason: "must be one of " + SortKey.allCases.map(\.rawValue).joined(separator: ", ")
                              + ", optionally prefixed with - for descending (relevance: best first only)")
            }
        } else if text != nil {
            sort = .relevance
        }
        if let value = parameters.get("limit") {
            let parsed = Int(value)
            validator.require(parsed.map { (1...200).contains($0) } ?? false, field: "limit", "must be 1–200")
            limit = parsed ?? 20
        }
        if let value = parameters.get("cursor") {
            cursor = Cursor(token: value)
            validator.require(cursor != nil, field: "cursor", "is not a cursor this service returned")
        }
        if let cursor, validator.isValid {
            if let returnedFor = cursor.sort, returnedFor != sortParameter {
                validator.add(field: "cursor", reason: "was returned for sort=\(returnedFor), not sort=\(sortParameter); start again without it")
            } else if sort.cast == "date" ? CalendarDate(cursor.value) == nil : sort.cast == "integer" ? Int32(cursor.value) == nil : false {
                validator.add(field: "cursor", reason: "is not a cursor this service returned for sort=\(sortParameter)")
            } else if CertificateNumber(rawValue: cursor.number) == nil {
                validator.add(field: "cursor", reason: "is not a cursor this service returned")
            }
        }
        try validator.validate()
    }

    /// Refuses a parameter given more than once (`?limit=1&limit=2`): which one counts would be a guess.
    static func requireOnce(_ parameters: Parameters, _ names: [String], _ validator: inout Validator) {
        for name in names where parameters.getAll(name).count > 1 {
            validator.add(field: name, reason: "must be given once")
        }
    }

    /// One page of results and the cursor of the next page (nil on the last page).
    func run(on connection: PostgresConnection) async throws -> ProductPage {
        var sql = SQLText()
        var conditions: [String] = ["TRUE"]
        // A ranked search of two or more characters reads its relevance tiers in turn (``runTiered``), each with
        // its own text conditions.
        let tiered = sort == .relevance && (text?.lowercased().count ?? 0) >= 2
        if let text, !tiered {
            let needle = text.lowercased()
            // A text is a substring when it is one of the bigrams (two characters); longer texts are checked
            // against the (lower-cased) search text after the bigram index narrowed the candidates.
            if needle.count >= 2 {
                conditions.append("c.search_bigrams @> \(sql.bind(SearchText.bigrams(of: needle)))")
            }
            if needle.count != 2 {
                conditions.append("strpos(c.search_text, \(sql.bind(needle))) > 0")
            }
        }
        if let category { conditions.append("c.product_category = \(sql.bind(category.rawValue))") }
        if let subCategory {
            conditions.append("(c.sub_category = \(sql.bind(subCategory)) OR c.sub_category LIKE '%/' || \(sql.bind(subCategory)))")
        }
        if let starGrade { conditions.append("c.star_grade = \(sql.bind(starGrade.rawValue))") }
        if let status { conditions.append("c.status = \(sql.bind(status.rawValue))") }
        if let enterprise {
            // As a set from the two indexes: written as `holder = $1 OR manufacturer = $1`, the planner walked the
            // whole table in number order for an enterprise with few products.
            let code = sql.bind(enterprise.rawValue)
            conditions.append("""
                c.number IN (SELECT x.number FROM certificates x WHERE x.holder_credit_code = \(code)
                             UNION ALL SELECT y.number FROM certificates y WHERE y.manufacturer_credit_code = \(code))
                """)
        }
        if let localListRegion {
            conditions.append("""
                EXISTS (SELECT 1 FROM local_list_entries e WHERE e.certificate_number = c.number
                        AND e.region_code = \(sql.bind(localListRegion.rawValue)) AND e.removed_at IS NULL)
                """)
        }
        if let underInvestigation {
            conditions.append("""
                \(underInvestigation ? "" : "NOT ")EXISTS (SELECT 1 FROM investigation_flags f
                    WHERE f.certificate_number = c.number AND f.cleared_at IS NULL)
                """)
        }
        let direction = descending ? "DESC" : "ASC"
        if tiered, let text {
            return try await runTiered(text: text.lowercased(), filters: conditions, sql: sql, on: connection)
        }
        if sort == .relevance, let text {
            return try await runRanked(text: text.lowercased(), conditions: conditions, sql: sql, on: connection)
        }
        if let cursor {
            let comparison = descending ? "<" : ">"
            conditions.append(
                "(\(sort.column), c.number) \(comparison) (\(sql.bind(cursor.value))::\(sort.cast), \(sql.bind(cursor.number)))")
        }
        let query = PostgresQuery(
            unsafeSQL: CertificateView.select + " WHERE " + conditions.joined(separator: " AND ")
                + " ORDER BY \(sort.column) \(direction), c.number \(direction) LIMIT \(limit + 1)",
            // How selective a text is decides between the bigram index and walking an ordered index; the other
            // filters plan well without their values, and planning this statement cost more than running it.
            binds: sql.binds, planning: text == nil ? .reusable : .withValues)
        var items = try await connection.query(query).rows.map(CertificateView.init(row:))
        var next: String?
        if items.count > limit {
            items.removeLast()
            if let last = items.last { next = Cursor(value: sortValue(of: last), number: last.certificateNumber, sort: sortParameter).token }
        }
        return ProductPage(items: items, nextCursor: next)
    }

    /// A relevance-ranked page: the page's certificate numbers and ranks first (every match must be ranked to know
    /// the best), then their views.
    private func runRanked(
        text needle: String, conditions: [String], sql: SQLText, on connection: PostgresConnection
    ) async throws -> ProductPage {
        var sql = sql
        var conditions = conditions
        let rank = Relevance.expression(needle: sql.bind(needle))
        if let cursor {
            conditions.append("(\(rank), c.number) > (\(sql.bind(cursor.value))::integer, \(sql.bind(cursor.number)))")
        }
        let page = """
            WITH page AS MATERIALIZED (
                SELECT c.number, \(rank) AS search_rank FROM certificates c
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY search_rank, c.number LIMIT \(limit + 1))
            """
        return try await readPage(page, sql: sql, on: connection)
    }

    /// Everything that decides the answer, as one string: searches with equal keys have equal answers
    /// (``SearchCache``).
    var cacheKey: String {
        [text?.lowercased() ?? "", category?.rawValue ?? "", subCategory ?? "", starGrade?.rawValue ?? "",
         status?.rawValue ?? "", enterprise?.rawValue ?? "", localListRegion?.rawValue ?? "",
         underInvestigation.map { String($0) } ?? "", sortParameter, String(limit), cursor?.token ?? ""]
            .joined(separator: "\u{1F}")
    }

    /// A relevance-ranked page read tier by tier, for texts of two or more characters, each tier only while the page
    /// is not full: ranking every match made a text found in most enterprises' names (公司) rank all 100,000 rows.
    ///
    /// 1. Products whose number, name or model holds the text (ranks below 300), found by those fields' bigrams
    ///    alone (`name_bigrams`, migration 109) and ranked. For a product term (保温) this fills the page.
    /// 2. Products that hold it only in an enterprise's name, valid ones (rank 302): in number order. A dense text
    ///    (公司) fills the page within the first few hundred valid certificates, so they are walked in number order
    ///    (`certificates_status_number`) up to ``walkRows``; a sparse one is read through the bigram index and
    ///    sorted, which is cheap because it has few matches. Left to itself, the planner walked the whole index
    ///    for sparse texts.
    /// 3. The same for certificates no longer valid (312), read through the bigram index.
    ///
    /// The same order and cursor as ranking every match (`SearchRankingTests`).
    private func runTiered(
        text needle: String, filters: [String], sql base: SQLText, on connection: PostgresConnection
    ) async throws -> ProductPage {
        let take = limit + 1
        let after = cursor.flatMap { Int32($0.value) }
        var found: [(number: String, rank: Int32)] = []

        // 1. Number, name or model.
        if after.map({ $0 < 300 }) ?? true {
            var sql = base
            let bound = sql.bind(needle)
            let rank = Relevance.expression(needle: bound)
            var conditions = filters + ["c.name_bigrams @> \(sql.bind(SearchText.bigrams(of: needle)))", Self.inNames(bound)]
            if let cursor, let after {
                conditions.append("(\(rank), c.number) > (\(sql.bind(after))::integer, \(sql.bind(cursor.number)))")
            }
            found += try await numbers(PostgresQuery(unsafeSQL: """
                SELECT c.number, (\(rank))::bigint AS search_rank FROM certificates c
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY search_rank, c.number LIMIT \(take)
                """, binds: sql.binds, planning: .withValues), on: connection)
        }
        // 2 and 3. Only in an enterprise's name.
        for (group, groupRank) in [("c.status = 'valid'", Int32(302)), ("c.status <> 'valid'", Int32(312))] {
            guard found.count < take, (after ?? 0) <= groupRank else { continue }
            var sql = base
            let bound = sql.bind(needle)
            var conditions = filters + [group]
            if let cursor, after == groupRank { conditions.append("c.number > \(sql.bind(cursor.number))") }
            var text = ["c.search_bigrams @> \(sql.bind(SearchText.bigrams(of: needle)))", "NOT \(Self.inNames(bound))"]
            if needle.count != 2 { text.append("strpos(c.search_text, \(bound)) > 0") }
            let need = take - found.count
            if groupRank == 302 {
                let walked = try await numbers(PostgresQuery(unsafeSQL: """
                    SELECT c.number, \(groupRank)::bigint AS search_rank FROM (
                        SELECT c.number, c.search_bigrams, c.search_text, c.product_name, c.model FROM certificates c
                        WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.number LIMIT \(Self.walkRows)) c
                    WHERE \(text.joined(separator: " AND ")) ORDER BY c.number LIMIT \(need)
                    """, binds: sql.binds, planning: .withValues), on: connection)
                if walked.count == need {
                    found += walked
                    continue
                }
            }
            // `c.number || ''` keeps the planner from walking the number index through every row.
            found += try await numbers(PostgresQuery(unsafeSQL: """
                SELECT c.number, \(groupRank)::bigint AS search_rank FROM certificates c
                WHERE \((conditions + text).joined(separator: " AND ")) ORDER BY c.number || '' LIMIT \(need)
                """, binds: sql.binds, planning: .withValues), on: connection)
        }
        var sql = SQLText()
        let page = """
            WITH page AS MATERIALIZED (
                SELECT * FROM unnest(\(sql.bind(found.map(\.number)))::text[], \(sql.bind(found.map { Int($0.rank) }))::bigint[])
                    AS p(number, search_rank))
            """
        return try await readPage(page, sql: sql, on: connection)
    }

    /// Valid certificates walked in number order for a text found only in enterprises' names before it is read
    /// through the bigram index instead: a text in more than about one name in twenty-five fills a page of twenty
    /// within it. Every text that names no product pays for the walk: with 4,000 rows, the search bench's five- and
    /// six-character product fragments saturated at 276 and 202/s instead of 614 and 572/s.
    static let walkRows = 500

    /// Whether the certificate's number, product name or model holds the bound text.
    private static func inNames(_ bound: String) -> String {
        """
        (strpos(lower(c.product_name), \(bound)) > 0 OR strpos(lower(c.model), \(bound)) > 0
         OR strpos(lower(c.number), \(bound)) > 0)
        """
    }

    /// The certificate numbers and ranks a query returns, in its order.
    private func numbers(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [(number: String, rank: Int32)] {
        try await connection.query(query).rows.map {
            (try $0.decode("number", as: String.self), Int32(try $0.decode("search_rank", as: Int.self)))
        }
    }

    /// The views of a `page` CTE's certificate numbers in its order, and the next page's cursor.
    private func readPage(_ page: String, sql: SQLText, on connection: PostgresConnection) async throws -> ProductPage {
        let select = CertificateView.select.replacingOccurrences(
            of: "FROM certificates c", with: ", page.search_rank::bigint AS search_rank FROM page JOIN certificates c ON c.number = page.number")
        let query = PostgresQuery(
            unsafeSQL: page + "\n" + select + " ORDER BY page.search_rank, c.number",
            binds: sql.binds, planning: .withValues)
        let rows = try await connection.query(query).rows
        var items = try rows.map(CertificateView.init(row:))
        let ranks = try rows.map { try $0.decode("search_rank", as: Int.self) }
        var next: String?
        if items.count > limit {
            items.removeLast()
            if let last = items.last {
                next = Cursor(value: String(ranks[items.count - 1]), number: last.certificateNumber, sort: sortParameter).token
            }
        }
        return ProductPage(items: items, nextCursor: next)
    }

    /// The `sort` parameter this search reads in, as a client writes it.
    var sortParameter: String { (descending ? "-" : "") + sort.rawValue }

    private func sortValue(of view: CertificateView) -> String {
        switch sort {
        case .relevance, .number: view.certificateNumber
        case .productName: view.productName
        case .issuedOn: view.issuedOn.description
        case .expiresOn: view.expiresOn.description
        }
    }
}

/// One page of search results.
struct ProductPage: ResponseEncodable, Sendable {
    var items: [CertificateView]
    var nextCursor: String?
}

/// SQL text assembled by the program with every value bound as a parameter.
struct SQLText: Sendable {
    private(set) var binds: [PostgresBind] = []

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresEncodable>(_ value: Value) -> String {
        binds.append(PostgresBind(value))
        return "$\(binds.count)"
    }
}
