import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceHost
import ServiceKit

/// The public read side: product search, the verification call, the change feed and the category tree.
struct CatalogueQueryRoutes: Sendable {
    let context: CatalogueContext
    /// Search answers while the catalogue is unchanged (``SearchCache``), one per service instance.
    let searchCache: SearchCache

    init(context: CatalogueContext) {
        self.context = context
        self.searchCache = SearchCache(capacity: context.settings.searchCacheEntries)
    }

    func add(to router: Router<AppRequestContext>) {
        router.get("/products") { request, _ in
            let search = try ProductSearch(parameters: request.uri.queryParameters)
            return try await context.pool.withConnection { connection in
                let version = try await SearchCache.version(on: connection)
                // Weak: the same answer, not necessarily the same bytes (a stored answer may be from a later snapshot
                // of the same version).
                let tag = "W/\"c\(version)\""
                let headers: HTTPFields = [.eTag: tag, .cacheControl: "no-cache"]
                if let condition = request.headers[.ifNoneMatch], EntityTag.matches(condition, tag) {
                    return Response(status: .notModified, headers: headers)
                }
                let key = search.cacheKey
                let body: [UInt8]
                if let stored = searchCache.answer(for: key, at: version) {
                    body = stored
                } else {
                    body = try StreamingJSONEncoder().encode(try await search.run(on: connection))
                    searchCache.store(body, for: key, at: version)
                }
                return StreamingJSONEncoder.response(bytes: body, headers: headers)
            }
        }
        router.get("/verify") { request, _ in
            let parameters = request.uri.queryParameters
            var validator = Validator()
            ProductSearch.requireOnce(parameters, ["certificate", "date", "region"], &validator)
            let numberText = parameters.get("certificate")
            validator.require(numberText != nil, field: "certificate", "is required")
            let number = numberText.flatMap(CertificateNumber.init(rawValue:))
            if numberText != nil { validator.require(number != nil, field: "certificate", CertificateNumber.rule) }
            var date = context.clock.today
            if let text = parameters.get("date") {
                let parsed = CalendarDate(text)
                validator.require(parsed != nil, field: "date", "must be a date YYYY-MM-DD")
                date = parsed ?? date
            }
            var region: DivisionCode?
            if let text = parameters.get("region") {
                region = validator.check(field: "region") { try DivisionCode(validating: text) }
            }
            try validator.validate()
            return try await context.pool.withConnection { connection in
                try await Verification.check(number!, on: date, region: region, on: connection)
            }
        }
        router.get("/changes") { request, _ in
            let parameters = request.uri.queryParameters
            var validator = Validator()
            ProductSearch.requireOnce(parameters, ["since", "limit"], &validator)
            var since: Int64 = 0
            if let text = parameters.get("since") {
                let parsed = Int64(text)
                validator.require(parsed.map { $0 >= 0 } ?? false, field: "since", "must be a cursor this feed returned")
                since = parsed ?? 0
            }
            var limit = 100
            if let text = parameters.get("limit") {
                let parsed = Int(text)
                validator.require(parsed.map { (1...1000).contains($0) } ?? false, field: "limit", "must be 1–1000")
                limit = parsed ?? 100
            }
            try validator.validate()
            return try await context.pool.withConnection { connection in
                let items = try await CertificateView.fetch(
                    where: "c.change_seq > \(since)", orderBy: "c.change_seq", limit: limit, on: connection)
                return ChangeFeedPage(items: items, nextCursor: String(items.last?.changeSequence ?? since))
            }
        }
        router.get("/categories") { _, _ in
            CategoryList(categories: CategoryTree.nodes)
        }
    }
}

/// Products changed since a cursor, oldest change first; pass `nextCursor` as `since` to continue.
struct ChangeFeedPage: ResponseEncodable, Sendable {
    var items: [CertificateView]
    var nextCursor: String
}

/// The category tree.
struct CategoryList: ResponseEncodable, Sendable {
    var categories: [CategoryTree.Node]
}

/// The answer to "is certificate N valid on date D, and is it on region R's local list?".
struct Verification: ResponseEncodable, Sendable {
    var certificateNumber: String
    var date: CalendarDate
    var found: Bool
    /// Whether the certificate was in force on `date`: inside its validity period and valid by its history.
    var valid: Bool
    var statusOnDate: CertificateStatus?
    var currentStatus: CertificateStatus?
    var issuedOn: CalendarDate?
    var expiresOn: CalendarDate?
    var productName: String?
    var holderCreditCode: String?
    var underInvestigation: Bool
    var region: String?
    /// Whether the product is on the local list of `region` or of a division containing it.
    var onLocalList: Bool?

    static func check(
        _ number: CertificateNumber, on date: CalendarDate, region: DivisionCode?, on connection: PostgresConnection
    ) async throws -> Verification {
        var regions: [String] = []
        var current = region
        while let code = current {
            regions.append(code.rawValue)
            current = code.parent
        }
        let endOfDay = date.adding(days: 1).startOfDay(in: ServiceClock.timeZone)
        let rows = try await connection.query("""
            SELECT c.status, c.issued_on, c.expires_on, c.product_name, c.holder_credit_code,
                (SELECT h.to_status FROM certificate_status_history h
                 WHERE h.certificate_number = c.number AND h.changed_at < \(endOfDay)
                 ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) AS status_then,
                EXISTS (SELECT 1 FROM investigation_flags f
                        WHERE f.certificate_number = c.number AND f.cleared_at IS NULL) AS under_investigation,
                EXISTS (SELECT 1 FROM local_list_entries e WHERE e.certificate_number = c.number
                        AND e.region_code = ANY(\(regions)) AND e.removed_at IS NULL) AS on_list
            FROM certificates c WHERE c.number = \(number.rawValue)
            """)
        guard let row = rows.first else {
            return Verification(
                certificateNumber: number.rawValue, date: date, found: false, valid: false, underInvestigation: false,
                region: region?.rawValue, onLocalList: region == nil ? nil : false)
        }
        let issuedOn = try row.calendarDate("issued_on")
        let expiresOn = try row.calendarDate("expires_on")
        let inPeriod = issuedOn <= date && date <= expiresOn
        // A certificate recorded after `date` (imported from an earlier national list) was valid from issue.
        let recorded = try row.decode("status_then", as: String?.self).flatMap(CertificateStatus.init(rawValue:))
        var statusThen: CertificateStatus? = inPeriod ? (recorded ?? .valid) : nil
        if date > expiresOn { statusThen = .expired }
        return Verification(
            certificateNumber: number.rawValue, date: date, found: true, valid: inPeriod && statusThen == .valid,
            statusOnDate: statusThen, currentStatus: try row.enumeration("status", as: CertificateStatus.self),
            issuedOn: issuedOn, expiresOn: expiresOn, productName: try row.decode("product_name", as: String.self),
            holderCreditCode: try row.decode("holder_credit_code", as: String.self),
            underInvestigation: try row.decode("under_investigation", as: Bool.self), region: region?.rawValue,
            onLocalList: region == nil ? nil : try row.decode("on_list", as: Bool.self))
    }
}
