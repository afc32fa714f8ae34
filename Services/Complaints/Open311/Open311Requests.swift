import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// `GET requests.json` and `GET requests/{id}.json`: cases as GeoReport v2 service requests, for anyone.
///
/// Open311 lists are public, so a request shows **no personal data and nothing the complainant typed**: no name,
/// phone, ID number, description, demands, respondent, address or handler's note. What it shows: the case number
/// (`service_request_id`), kind (`service_code`), status open/closed with the native status in `status_notes`, the
/// handling market regulator's division (`agency_responsible`), when it was received and last changed, and the
/// running legal deadline (`expected_datetime`). The complainant follows the details natively with the secret the
/// filing gave (`GET /public/cases/{caseNumber}`). Every case is listed, whatever channel it came through.
struct Open311Requests: Sendable {
    let context: ComplaintsContext

    /// GeoReport's two statuses. A case is `closed` once its handling has reached an outcome, which is where only the
    /// formal `close` is left (not accepted, mediated, mediation terminated, case opened or declined on a report) and
    /// when it is closed; it is `open` while received, accepted, in settlement or in mediation, and again when a
    /// complainant reopens it.
    static func open311Status(_ status: CaseStatus) -> String {
        status == .closed || CaseAction.close.allowedFrom.contains(status) ? "closed" : "open"
    }

    static func notes(_ status: CaseStatus) -> String {
        switch status {
        case .received: "已收到 received: awaiting the decision whether to accept"
        case .accepted: "已受理 accepted: the market regulator is handling it"
        case .notAccepted: "不予受理 not accepted"
        case .settlement: "和解中 settlement: the respondent was asked to settle first"
        case .mediation: "调解中 mediation"
        case .mediated: "调解成功 mediated: an agreement was recorded"
        case .mediationTerminated: "终止调解 mediation terminated"
        case .caseOpened: "已立案 case opened on the report"
        case .caseDeclined: "不予立案 no case opened on the report"
        case .closed: "已办结 closed"
        }
    }

    struct Query: Sendable, Equatable {
        var ids: [String] = []
        var kinds: [String] = []
        var statuses: [String] = []
        var start: Date?
        var end: Date?
        var page = 1
        var pageSize = 50
    }

    static let maximumPageSize = 100
    static let maximumPage = 10_000
    static let maximumIDs = 100
    nonisolated(unsafe) static let caseNumber = /TS[0-9]{14}/

    /// The query's parameters (`parameter` reads one), every bad one named (400).
    static func query(_ parameter: (String) -> String?) throws(Open311Error) -> Query {
        var validator = Validator()
        var query = Query()
        func list(_ name: String, allowed: (String) -> Bool, reason: String) -> [String] {
            guard let text = parameter(name) else { return [] }
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.allSatisfy(allowed) else {
                validator.add(field: name, reason: reason)
                return []
            }
            return items
        }
        query.ids = list("service_request_id", allowed: { $0.wholeMatch(of: caseNumber) != nil },
                         reason: "must be case numbers (TS and 14 digits), comma separated")
        validator.require(query.ids.count <= maximumIDs, field: "service_request_id", "must name at most \(maximumIDs) requests")
        query.kinds = list("service_code", allowed: { ComplaintKind(rawValue: $0) != nil },
                           reason: "must be service codes (" + ComplaintKind.allCases.map(\.rawValue).joined(separator: ", ") + "), comma separated")
        query.statuses = list("status", allowed: { $0 == "open" || $0 == "closed" }, reason: "must be open or closed (or both, comma separated)")
        for (name, keyPath) in [("start_date", \Query.start), ("end_date", \Query.end)] {
            guard let text = parameter(name) else { continue }
            let date = InternetDateTime.date(from: text)
            validator.require(date != nil, field: name, "must be an ISO 8601 date-time with its offset, e.g. 2023-09-27T00:00:00+08:00")
            query[keyPath: keyPath] = date
        }
        if let start = query.start, let end = query.end {
            validator.require(start <= end, field: "end_date", "must not be before start_date")
        }
        for (name, keyPath, range) in [("page", \Query.page, 1...maximumPage), ("page_size", \Query.pageSize, 1...maximumPageSize)] {
            guard let text = parameter(name) else { continue }
            let value = text.wholeMatch(of: /[0-9]{1,6}/) != nil ? Int(text) : nil
            validator.require(value.map(range.contains) ?? false, field: name,
                              "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            if let value { query[keyPath: keyPath] = value }
        }
        if !validator.isValid { throw Open311Error.badRequest(validator.errors) }
        return query
    }

    static let columns = """
        case_number, kind, status, handling_division, received_at, updated_at, due_on::text AS due_on
        """

    /// The requests `query` selects, newest first. Named requests (`service_request_id`) override every other
    /// parameter, as GeoReport says, paging included.
    func list(_ query: Query) async throws -> JSONValue {
        let byID = !query.ids.isEmpty
        // Each native status that maps to an asked-for Open311 status.
        let statuses = CaseStatus.allCases.filter { query.statuses.contains(Self.open311Status($0)) }.map(\.rawValue)
        let limit = byID ? query.ids.count : query.pageSize
        let offset = byID ? 0 : (query.page - 1) * query.pageSize
        let start = byID ? nil : query.start, end = byID ? nil : query.end
        let rows = try await context.pool.query("""
            SELECT \(unescaped: Self.columns) FROM complaint_case
            WHERE (\(!byID) OR case_number = ANY(\(query.ids)))
              AND (\(byID || query.kinds.isEmpty) OR kind = ANY(\(query.kinds)))
              AND (\(byID || query.statuses.isEmpty) OR status = ANY(\(statuses)))
              AND (\(start)::timestamptz IS NULL OR received_at >= \(start)::timestamptz)
              AND (\(end)::timestamptz IS NULL OR received_at <= \(end)::timestamptz)
            ORDER BY received_at DESC, id LIMIT \(limit) OFFSET \(offset)
            """)
        return .array(try rows.rows.map(Self.request(row:)))
    }

    /// The request with case number `id`, as a one-element array; 404 in Open311's format for an unknown one.
    func one(_ id: String) async throws -> JSONValue {
        guard id.wholeMatch(of: Self.caseNumber) != nil else { throw Open311Error.notFound("service_request_id: no request \(id)") }
        let rows = try await context.pool.query("SELECT \(unescaped: Self.columns) FROM complaint_case WHERE case_number = \(id)")
        guard let row = rows.first else { throw Open311Error.notFound("service_request_id: no request \(id)") }
        return .array([try Self.request(row: row)])
    }

    /// A case as a GeoReport v2 service request: only the columns of ``columns``, none of them personal.
    static func request(row: PostgresRow) throws -> JSONValue {
        let kind = try row.enumeration("kind", as: ComplaintKind.self)
        let status = try row.enumeration("status", as: CaseStatus.self)
        let division = try row.decode("handling_division", as: String.self)
        var members: [String: JSONValue] = [
            "service_request_id": .string(try row.decode("case_number", as: String.self)),
            "status": .string(open311Status(status)),
            "status_notes": .string(notes(status)),
            "service_code": .string(kind.rawValue),
            "service_name": .string(Open311Services.name(of: kind)),
            "agency_responsible": .string("市场监督管理部门 market regulator of division \(division)"),
            "requested_datetime": .string(InternetDateTime.string(from: try row.decode("received_at", as: Date.self))),
            "updated_datetime": .string(InternetDateTime.string(from: try row.decode("updated_at", as: Date.self))),
        ]
        // The running legal deadline's last day, to its end in China's time (the calendar the deadlines count on).
        if let due = try row.decode("due_on", as: String?.self) {
            members["expected_datetime"] = .string(due + "T23:59:59+08:00")
        }
        return .object(members)
    }
}
