import Contracts
import Postgres

/// A report's figures, read from the projections (`measure`) for a region at the end of a day.
enum ReportFigures {
    static func compute(
        region: DivisionCode, on day: CalendarDate, connection: PostgresConnection
    ) async throws -> SummaryReportDocument.Figures {
        let rows = try await connection.query("""
            SELECT metric, dimension, sum(value)::int8 AS value FROM measure
            WHERE region_code LIKE \(RegionScope(region: region).pattern) AND day <= \(day.description)::date
            GROUP BY metric, dimension
            """)
        var sums = MetricSums()
        var atTownOrVillage: Int64 = 0
        for row in rows.rows {
            guard let metric = Metric(rawValue: try row.decode("metric", as: String.self)) else { continue }
            let dimension = try row.decode("dimension", as: String.self)
            let value = try row.decode("value", as: Int64.self)
            sums.add(metric, dimension, value)
            if metric == .activitiesHeld, dimension.hasSuffix("/town") || dimension.hasSuffix("/village") {
                atTownOrVillage += value
            }
        }
        func sum(_ metric: Metric, _ dimension: String? = nil) -> Int64 { sums.sum(metric, dimension) }
        return SummaryReportDocument.Figures(
            activitiesHeld: sum(.activitiesHeld), activitiesAtTownOrVillage: atTownOrVillage,
            attendance: sum(.attendance), launchMeetings: sum(.launchMeetings), activitySales: sum(.activitySales),
            participantsActive: sum(.participantsActive),
            platformsActive: sum(.participantsActive, EnterpriseKind.eCommercePlatform.rawValue),
            storesActive: sum(.participantsActive, EnterpriseKind.store.rawValue),
            manufacturersActive: sum(.participantsActive, EnterpriseKind.manufacturer.rawValue),
            certifiedProductsValid: sum(.certificatesValid), certificatesIssued: sum(.certificatesIssued),
            certificatesWithdrawn: sum(.certificatesWithdrawn), localListEntries: sum(.localListEntries),
            productsUnderInvestigation: sum(.productsUnderInvestigation), programmesApproved: sum(.programmesApproved),
            budget: sum(.budget), claimsSubmitted: sum(.claims, "submitted"), claimsApproved: sum(.claims, "approved"),
            claimsRejected: sum(.claims, "rejected"), subsidyApproved: sum(.subsidyApproved), subsidyPaid: sum(.subsidyPaid),
            subsidyClawedBack: sum(.subsidyClawedBack), loanSubsidiesGranted: sum(.loansGranted),
            loanSubsidyAmount: sum(.loanSubsidyGranted), reportDeadlinesMissed: sum(.reportDeadlinesMissed),
            complaintsReceived: sum(.complaintsReceived), complaintsOpen: sum(.complaintsOpen),
            complaintsClosed: sum(.complaintsClosed), complaintsHandled: sum(.complaintsHandled),
            complaintHandlingWorkingDays: sum(.complaintsHandlingWorkingDays),
            complaintsMediated: sum(.complaintsProgress, "mediated"),
            complaintsMediationTerminated: sum(.complaintsProgress, "mediation-terminated"),
            complaintDeadlineBreaches: sum(.complaintsDeadlineBreaches), complaintCompensation: sum(.complaintsCompensation),
            certificationViolationsReported: sum(.certificationViolations))
    }

    /// The months of `year` up to `periodEnd`'s, with the charted metrics' monthly sums.
    static func monthly(
        region: DivisionCode, year: Int, through periodEnd: CalendarDate, connection: PostgresConnection
    ) async throws -> SummaryReportDocument.Monthly {
        let start = CalendarDate(year: year, month: 1, day: 1)!
        let lastMonth = periodEnd.year > year ? 12 : (periodEnd.year < year ? 0 : periodEnd.month)
        let months = (0..<lastMonth).map { String(format: "%04d-%02d", year, $0 + 1) }
        let metrics: [Metric] = [.activitiesHeld, .attendance, .subsidyPaid, .complaintsReceived]
        let rows = try await connection.query("""
            SELECT metric, to_char(day, 'YYYY-MM') AS month, sum(value)::int8 AS value FROM measure
            WHERE metric = ANY(\(metrics.map(\.rawValue))) AND region_code LIKE \(RegionScope(region: region).pattern)
              AND day >= \(start.description)::date AND day <= \(periodEnd.description)::date
            GROUP BY 1, 2
            """)
        var values: [String: Int64] = [:]
        for row in rows.rows {
            values["\(try row.decode("metric", as: String.self))|\(try row.decode("month", as: String.self))"] =
                try row.decode("value", as: Int64.self)
        }
        func series(_ metric: Metric) -> [Int64] { months.map { values["\(metric.rawValue)|\($0)"] ?? 0 } }
        return SummaryReportDocument.Monthly(
            months: months, activitiesHeld: series(.activitiesHeld), attendance: series(.attendance),
            subsidyPaid: series(.subsidyPaid), complaintsReceived: series(.complaintsReceived))
    }
}
