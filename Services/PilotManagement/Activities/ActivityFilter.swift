import Contracts
import Hummingbird
import Postgres
import ServiceKit

/// The calendar's filters: region, level, type, status and a date range (activities overlapping it).
struct ActivityFilter: Sendable {
    var regionCode: String?
    var level: String?
    var type: String?
    var status: String?
    var from: CalendarDate?
    var to: CalendarDate?
    /// Only activities of approved regions (the public views).
    var approvedRegionsOnly = false
    var limit = 500

    /// Reads the filters from query parameters; a bad value is a 422 naming the parameter.
    init(query: Parameters, defaultFrom: CalendarDate? = nil) throws(Problem) {
        var validator = Validator()
        if let code = query.get("regionCode") {
            regionCode = validator.divisionCode(code, field: "regionCode")?.rawValue
        }
        if let level = query.get("level") {
            self.level = validator.oneOf(level, as: DivisionCode.Level.self, field: "level")?.rawValue
        }
        if let type = query.get("type") {
            self.type = validator.oneOf(type, as: PilotActivityKind.self, field: "type")?.rawValue
        }
        if let status = query.get("status") {
            validator.require(["scheduled", "held", "cancelled"].contains(status), field: "status",
                              "must be one of scheduled, held, cancelled")
            self.status = status
        }
        from = query.get("from").flatMap { validator.calendarDate($0, field: "from") } ?? defaultFrom
        to = query.get("to").flatMap { validator.calendarDate($0, field: "to") }
        if let from, let to { validator.require(from <= to, field: "to", "must not be before from") }
        if let text = query.get("limit") {
            if let value = Int(text), (1...5000).contains(value) { limit = value } else {
                validator.add(field: "limit", reason: "must be a whole number from 1 to 5000")
            }
        }
        try validator.validate()
    }

    /// The matching activities, by start date then region.
    func activities(on pool: PostgresPool) async throws -> [ActivityView] {
        let fromText = from?.description
        let toText = to?.description
        // Optional filters: only a plan made with the values drops the absent ones and uses the indexes.
        let query: PostgresQuery = """
            SELECT \(unescaped: ActivityView.columns) FROM activity a JOIN region r ON r.code = a.region_code
            WHERE (\(regionCode)::text IS NULL OR a.region_code = \(regionCode))
              AND (\(level)::text IS NULL OR a.level = \(level))
              AND (\(type)::text IS NULL OR a.kind = \(type))
              AND (\(status)::text IS NULL OR a.status = \(status))
              AND daterange(a.starts_on, a.ends_on, '[]') && daterange(\(fromText)::date, \(toText)::date, '[]')
              AND (NOT \(approvedRegionsOnly) OR r.status = 'approved')
            ORDER BY a.starts_on, a.region_code, a.id
            LIMIT \(limit)
            """
        let rows = try await pool.query(query.plannedWithValues)
        return try rows.rows.map(ActivityView.init(row:))
    }
}
