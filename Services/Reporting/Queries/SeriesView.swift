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

    /// How complaints were handled, derived from the complaint metrics (integers: rates in basis points, the
    /// average in hundredths of a working day).
    struct ComplaintHandling: Codable, Sendable, Equatable {
        /// Complaints, consultations and reports received.
        var received: Int64
        /// Cases received and not closed.
        var open: Int64
        /// Closed cases whose receipt is known.
        var handled: Int64
        /// Their working days from receipt to closure, summed.
        var handlingWorkingDays: Int64
        /// handlingWorkingDays / handled, in hundredths of a working day (0 when none was handled).
        var averageHandlingHundredthsOfWorkingDay: Int64
        /// Mediations that ended in an agreement (settlements between the parties not counted).
        var mediated: Int64
        /// Mediations terminated without one.
        var mediationTerminated: Int64
        /// mediated / (mediated + mediationTerminated), in basis points (0 when none ended).
        var mediationSuccessBasisPoints: Int64
        /// Statutory deadlines breached.
        var deadlineBreaches: Int64

        /// `workingDays / cases` in hundredths, rounded half up, on integers; 0 without a case.
        static func averageHundredths(workingDays: Int64, cases: Int64) -> Int64 {
            cases > 0 ? (workingDays * 100 + cases / 2) / cases : 0
        }

        init(_ sums: MetricSums) {
            func sum(_ metric: Metric, _ dimension: String? = nil) -> Int64 { sums.sum(metric, dimension) }
            received = sum(.complaintsReceived)
            open = sum(.complaintsOpen)
            handled = sum(.complaintsHandled)
            handlingWorkingDays = sum(.complaintsHandlingWorkingDays)
            averageHandlingHundredthsOfWorkingDay = Self.averageHundredths(workingDays: handlingWorkingDays, cases: handled)
            mediated = sum(.complaintsProgress, "mediated")
            mediationTerminated = sum(.complaintsProgress, "mediation-terminated")
            let ended = mediated + mediationTerminated
            mediationSuccessBasisPoints = ended > 0 ? mediated * 10_000 / ended : 0
            deadlineBreaches = sum(.complaintsDeadlineBreaches)
        }
    }

    var regionCode: String?
    var on: String
    var entries: [Entry]
    var budgetUse: BudgetUse
    var complaintHandling: ComplaintHandling
    /// The number of the live feed's last entry whose facts these figures include: a client that follows `/feed`
    /// from it (`Last-Event-ID`) and adds the facts of each later entry dated up to `on` keeps them exact.
    var feedPosition: Int64
}
