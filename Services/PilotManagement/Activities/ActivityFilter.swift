import Contracts
import Hummingbird
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

    /// The public views' filter: scheduled activities of approved regions that have not ended before `today`
    /// (unless the query gives another `from`), with the calendar's other filters.
    static func upcoming(query: Parameters, today: CalendarDate) throws(Problem) -> ActivityFilter {
        var filter = try ActivityFilter(query: query, defaultFrom: today)
        filter.status = "scheduled"
        filter.approvedRegionsOnly = true
        return filter
    }
}
