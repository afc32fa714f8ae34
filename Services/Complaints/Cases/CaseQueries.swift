import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// What the caller may see of cases: a ministry official everything, a market regulator the cases routed to its
/// division (or any under it), a regional official its region's; lists filtered by region, respondent, status, kind
/// and deadline, and statistics per respondent (duplicates not counted twice).
struct CaseQueries: Sendable {
    let context: ComplaintsContext

    struct Filter: Sendable {
        var region: DivisionCode?
        var respondent: String?
        var status: CaseStatus?
        var kind: ComplaintKind?
        var dueBefore: CalendarDate?
        var overdue: Bool?
        var limit = 100
        var offset = 0
    }

    struct CaseList: ResponseEncodable, Codable, Sendable {
        var cases: [CaseView]
    }

    struct RespondentStatistics: Codable, Sendable {
        var respondentKey: String
        var respondentCreditCode: String?
        var respondentName: String?
        var cases: Int
        var complaints: Int
        var reports: Int
        var consultations: Int
        var duplicates: Int
        var open: Int
        var mediated: Int
        var notAccepted: Int
        var overdue: Int
        var amountInDispute: Fen
    }

    struct StatisticsList: ResponseEncodable, Codable, Sendable {
        var respondents: [RespondentStatistics]
    }

    /// The SQL prefix a division's cases' handling divisions (and regions) start with: `33` for `330000`, `3301`
    /// for `330100`, the whole code for a county.
    static func prefix(of division: DivisionCode) -> String {
        let code = division.rawValue
        if code.count == 6, code.hasSuffix("0000") { return String(code.prefix(2)) }
        if code.count == 6, code.hasSuffix("00") { return String(code.prefix(4)) }
        return code
    }

    /// What `principal` may see: everything (ministries), cases routed to divisions starting with a prefix (market
    /// regulators) or cases of regions or divisions starting with a prefix (regional officials).
    struct Scope: Sendable {
        var all = false
        var divisionPrefix: String?
        var regionPrefix: String?
    }

    static func scope(_ principal: Principal) throws(Problem) -> Scope {
        switch principal.role {
        case .ministry:
            return Scope(all: true)
        case .marketRegulator:
            guard let region = principal.regionCode else { throw Problem.forbidden("No division in the token.", code: "role-not-allowed") }
            return Scope(divisionPrefix: prefix(of: region))
        case .regionOfficial:
            guard let region = principal.regionCode else { throw Problem.forbidden("No region in the token.", code: "role-not-allowed") }
            return Scope(divisionPrefix: prefix(of: region), regionPrefix: prefix(of: region))
        default:
            throw Problem.forbidden("Only ministry officials, market regulators and regional officials see cases.", code: "role-not-allowed")
        }
    }

    func list(_ filter: Filter, as principal: Principal) async throws -> CaseList {
        let scope = try Self.scope(principal)
        let region = filter.region.map(Self.prefix(of:))
        let query: PostgresQuery = """
            SELECT \(unescaped: CaseView.columns) FROM complaint_case
            WHERE (\(scope.all) OR left(handling_division, length(\(scope.divisionPrefix)::text)) = \(scope.divisionPrefix)::text
                   OR left(region_code, length(\(scope.regionPrefix)::text)) = \(scope.regionPrefix)::text)
              AND (\(region)::text IS NULL OR left(region_code, length(\(region)::text)) = \(region)::text)
              AND (\(filter.respondent)::text IS NULL OR respondent_key = \(filter.respondent)::text)
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue)::text)
              AND (\(filter.kind?.rawValue)::text IS NULL OR kind = \(filter.kind?.rawValue)::text)
              AND (\(filter.dueBefore?.description)::date IS NULL OR due_on <= \(filter.dueBefore?.description)::date)
              AND (\(filter.overdue)::boolean IS NULL OR (breached_at IS NOT NULL) = \(filter.overdue)::boolean)
            ORDER BY received_at DESC, id LIMIT \(filter.limit) OFFSET \(filter.offset)
            """
        let rows = try await context.pool.query(query.plannedWithValues)
        return CaseList(cases: try rows.rows.map(CaseView.init(row:)))
    }

    func view(_ id: UUID, as principal: Principal) async throws -> CaseView {
        try await context.pool.withConnection { connection in
            let scope = try Self.scope(principal)
            let visible = try await connection.query("""
                SELECT 1 FROM complaint_case WHERE id = \(id)
                  AND (\(scope.all) OR left(handling_division, length(\(scope.divisionPrefix)::text)) = \(scope.divisionPrefix)::text
                       OR left(region_code, length(\(scope.regionPrefix)::text)) = \(scope.regionPrefix)::text)
                """)
            guard visible.first != nil, let view = try await CaseView.load(id, on: connection) else {
                throw ComplaintsError.caseNotFound(id.lowercasedText)
            }
            return view
        }
    }

    func statistics(_ filter: Filter, as principal: Principal) async throws -> StatisticsList {
        let scope = try Self.scope(principal)
        let region = filter.region.map(Self.prefix(of:))
        let query: PostgresQuery = """
            SELECT respondent_key, max(respondent_credit_code) AS credit_code, max(respondent_name) AS name,
                count(*) FILTER (WHERE duplicate_of IS NULL) AS cases,
                count(*) FILTER (WHERE duplicate_of IS NULL AND kind = 'complaint') AS complaints,
                count(*) FILTER (WHERE duplicate_of IS NULL AND kind = 'report') AS reports,
                count(*) FILTER (WHERE duplicate_of IS NULL AND kind = 'consultation') AS consultations,
                count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates,
                count(*) FILTER (WHERE duplicate_of IS NULL AND status <> 'closed') AS open,
                count(*) FILTER (WHERE duplicate_of IS NULL AND outcome IN ('mediated', 'settled')) AS mediated,
                count(*) FILTER (WHERE duplicate_of IS NULL AND (status = 'not-accepted' OR outcome = 'not-accepted')) AS not_accepted,
                count(*) FILTER (WHERE duplicate_of IS NULL AND breached_at IS NOT NULL) AS overdue,
                coalesce(sum(amount_in_dispute) FILTER (WHERE duplicate_of IS NULL), 0)::bigint AS amount
            FROM complaint_case
            WHERE (\(scope.all) OR left(handling_division, length(\(scope.divisionPrefix)::text)) = \(scope.divisionPrefix)::text
                   OR left(region_code, length(\(scope.regionPrefix)::text)) = \(scope.regionPrefix)::text)
              AND (\(region)::text IS NULL OR left(region_code, length(\(region)::text)) = \(region)::text)
              AND (\(filter.respondent)::text IS NULL OR respondent_key = \(filter.respondent)::text)
            GROUP BY respondent_key ORDER BY cases DESC, respondent_key LIMIT \(filter.limit) OFFSET \(filter.offset)
            """
        let rows = try await context.pool.query(query.plannedWithValues)
        return StatisticsList(respondents: try rows.rows.map { row in
            RespondentStatistics(
                respondentKey: try row.decode("respondent_key", as: String.self),
                respondentCreditCode: try row.decode("credit_code", as: String?.self),
                respondentName: try row.decode("name", as: String?.self),
                cases: try row.decode("cases", as: Int.self), complaints: try row.decode("complaints", as: Int.self),
                reports: try row.decode("reports", as: Int.self), consultations: try row.decode("consultations", as: Int.self),
                duplicates: try row.decode("duplicates", as: Int.self), open: try row.decode("open", as: Int.self),
                mediated: try row.decode("mediated", as: Int.self), notAccepted: try row.decode("not_accepted", as: Int.self),
                overdue: try row.decode("overdue", as: Int.self), amountInDispute: Fen(try row.decode("amount", as: Int64.self)))
        })
    }
}
