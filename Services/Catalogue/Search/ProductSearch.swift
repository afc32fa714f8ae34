import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// A search of the certified products: text (bigram-indexed, so two-character Chinese terms like 保温 work),
/// filters, one sort order and a stable keyset cursor (the last row's sort value and certificate number).
struct ProductSearch: Sendable {
    enum SortKey: String, Sendable, CaseIterable {
        case number, productName, issuedOn, expiresOn

        var column: String {
            switch self {
            case .number: "c.number"
            case .productName: "c.product_name"
            case .issuedOn: "c.issued_on"
            case .expiresOn: "c.expires_on"
            }
        }

        var cast: String {
            switch self {
            case .number, .productName: "text"
            case .issuedOn, .expiresOn: "date"
            }
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
            if let key = SortKey(rawValue: value) {
                sort = key
            } else {
                validator.add(field: "sort", reason: "must be one of " + SortKey.allCases.map(\.rawValue).joined(separator: ", ")
                              + ", optionally prefixed with - for descending")
            }
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
            } else if sort.cast == "date" ? CalendarDate(cursor.value) == nil : false {
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
        if let text {
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

    /// The `sort` parameter this search reads in, as a client writes it.
    var sortParameter: String { (descending ? "-" : "") + sort.rawValue }

    private func sortValue(of view: CertificateView) -> String {
        switch sort {
        case .number: view.certificateNumber
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
