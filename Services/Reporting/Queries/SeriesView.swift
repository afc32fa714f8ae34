import Hummingbird

/// A metric over a period: each bucket's sum and the running total at its end (everything before the period
/// included), per dimension; buckets without facts are left out. `totals` are the values at the period's end.
struct SeriesView: ResponseEncodable, Sendable, Equatable {
    struct Point: Codable, Sendable, Equatable {
        /// The bucket's first day (`YYYY-MM-DD`).
        var period: String
        var dimension: String
        var value: Int64
        var cumulative: Int64
    }

    struct Total: Codable, Sendable, Equatable {
        var dimension: String
        var value: Int64
    }

    var metric: String
    var unit: String
    /// The division, or nil for the national figures.
    var regionCode: String?
    var from: String
    var to: String
    var granularity: String
    var points: [Point]
    var totals: [Total]

    /// The series as CSV: `metric,region_code,period,dimension,value,cumulative`, one line per point.
    var csv: String {
        var lines = ["metric,region_code,period,dimension,value,cumulative"]
        for point in points {
            lines.append([metric, regionCode ?? "national", point.period, Self.field(point.dimension),
                          String(point.value), String(point.cumulative)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it must be; a leading `=`, `+`, `-` or `@` is neutralised so that a spreadsheet never
    /// reads it as a formula.
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\n\r".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Every metric's value on a day in one scope, with the budget's use derived from them.
struct OverviewView: ResponseEncodable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        var metric: String
        var unit: String
        var dimension: String
        var value: Int64
    }

    struct BudgetUse: Codable, Sendable, Equatable {
        /// Budgets approved, with their changes, in fen.
        var budget: Int64
        /// Approved minus clawed back, in fen.
        var committed: Int64
        /// Paid on claims minus clawed back, in fen.
        var paidNet: Int64
        /// Loan interest subsidy granted, in fen.
        var loanSubsidies: Int64
        /// Committed plus loan subsidies, in basis points of the budget (0 without a budget).
        var usedBasisPoints: Int64
    }

    var regionCode: String?
    var on: String
    var entries: [Entry]
    var budgetUse: BudgetUse
    /// The number of the live feed's last entry whose facts these figures include: a client that follows `/feed`
    /// from it (`Last-Event-ID`) and adds the facts of each later entry dated up to `on` keeps them exact.
    var feedPosition: Int64
}
