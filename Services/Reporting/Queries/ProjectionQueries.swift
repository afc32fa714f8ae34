import Contracts
import Postgres

/// Reads the projections: sums of `measure` (facts and the participants' derived ones) over a scope and a period.
/// Nothing here writes.
struct ProjectionQueries: Sendable {
    let context: ReportingContext

    /// `metric` in `scope` from `from` to `to` (inclusive), bucketed by `granularity`.
    func series(
        _ metric: Metric, scope: RegionScope, from: CalendarDate, to: CalendarDate, granularity: Granularity
    ) async throws -> SeriesView {
        let rows = try await context.pool.query("""
            WITH m AS (
                SELECT dimension, day, value FROM measure
                WHERE metric = \(metric.rawValue) AND region_code LIKE \(scope.pattern) AND day <= \(to.description)::date
            ), opening AS (
                SELECT dimension, sum(value)::int8 AS v FROM m WHERE day < \(from.description)::date GROUP BY dimension
            ), buckets AS (
                SELECT dimension, date_trunc(\(granularity.rawValue), day::timestamp)::date AS period, sum(value)::int8 AS v
                FROM m WHERE day >= \(from.description)::date GROUP BY 1, 2
            )
            SELECT to_char(b.period, 'YYYY-MM-DD') AS period, b.dimension, b.v AS value,
                (coalesce(o.v, 0) + sum(b.v) OVER (PARTITION BY b.dimension ORDER BY b.period))::int8 AS cumulative
            FROM buckets b LEFT JOIN opening o USING (dimension)
            UNION ALL
            SELECT NULL, o.dimension, 0, o.v FROM opening o
            WHERE NOT EXISTS (SELECT 1 FROM buckets b WHERE b.dimension = o.dimension)
            ORDER BY period NULLS FIRST, dimension
            """)
        var points: [SeriesView.Point] = []
        var totals: [String: Int64] = [:]
        for row in rows.rows {
            let dimension = try row.decode("dimension", as: String.self)
            let cumulative = try row.decode("cumulative", as: Int64.self)
            totals[dimension] = cumulative
            guard let period = try row.decode("period", as: String?.self) else { continue }
            points.append(SeriesView.Point(
                period: period, dimension: dimension, value: try row.decode("value", as: Int64.self), cumulative: cumulative))
        }
        return SeriesView(
            metric: metric.rawValue, unit: metric.unit.rawValue, regionCode: scope.region?.rawValue, from: from.description,
            to: to.description, granularity: granularity.rawValue, points: points,
            totals: totals.sorted { $0.key < $1.key }.map { SeriesView.Total(dimension: $0.key, value: $0.value) })
    }

    /// Every metric's value (per dimension) in `scope` at the end of `day`, the budget's use, and the live feed's
    /// position these figures include. One statement reads both, so they come from one snapshot: feed numbers are
    /// taken in the applying transaction from a one-row counter, so the entries committed are exactly those up to
    /// the counter's value, and their facts are in the sums.
    func overview(scope: RegionScope, on day: CalendarDate) async throws -> OverviewView {
        let rows = try await context.pool.query("""
            WITH sums AS (
                SELECT metric, dimension, sum(value)::int8 AS value FROM measure
                WHERE region_code LIKE \(scope.pattern) AND day <= \(day.description)::date
                GROUP BY metric, dimension
            )
            SELECT c.last AS position, s.metric, s.dimension, s.value
            FROM feed_counter c LEFT JOIN sums s ON true
            ORDER BY s.metric, s.dimension
            """)
        var entries: [OverviewView.Entry] = []
        var sums = MetricSums()
        var position: Int64 = 0
        for row in rows.rows {
            position = try row.decode("position", as: Int64.self)
            guard let name = try row.decode("metric", as: String?.self), let metric = Metric(rawValue: name) else { continue }
            let value = try row.decode("value", as: Int64.self)
            let dimension = try row.decode("dimension", as: String.self)
            sums.add(metric, dimension, value)
            entries.append(OverviewView.Entry(metric: metric.rawValue, unit: metric.unit.rawValue, dimension: dimension, value: value))
        }
        let budget = sums.sum(.budget)
        let clawedBack = sums.sum(.subsidyClawedBack)
        let committed = sums.sum(.subsidyApproved) - clawedBack
        let loans = sums.sum(.loanSubsidyGranted)
        let use = OverviewView.BudgetUse(
            budget: budget, committed: committed, paidNet: sums.sum(.subsidyPaid) - clawedBack, loanSubsidies: loans,
            usedBasisPoints: budget > 0 ? (committed + loans) * 10_000 / budget : 0)
        return OverviewView(regionCode: scope.region?.rawValue, on: day.description, entries: entries, budgetUse: use,
                            complaintHandling: OverviewView.ComplaintHandling(sums), feedPosition: position)
    }

    /// Whether `region` is an approved pilot region, lies in one or contains one: the divisions the projections
    /// report on.
    func isKnown(_ region: DivisionCode) async throws -> Bool {
        let scope = RegionScope(region: region)
        let rows = try await context.pool.query("""
            SELECT EXISTS (
                SELECT 1 FROM pilot_region
                WHERE region_code LIKE \(scope.pattern) OR \(region.rawValue) LIKE (CASE
                    WHEN region_code LIKE '__0000' THEN left(region_code, 2)
                    WHEN region_code LIKE '____00' THEN left(region_code, 4)
                    ELSE region_code END) || '%'
            ) AS known
            """)
        return try rows.first?.decode("known", as: Bool.self) ?? false
    }

    /// The approved pilot regions, by code.
    func pilotRegions() async throws -> [PilotRegionView] {
        let rows = try await context.pool.query("""
            SELECT region_code, region_name, batch_year, to_char(approved_on, 'YYYY-MM-DD') AS approved_on
            FROM pilot_region ORDER BY region_code
            """)
        return try rows.rows.map { row in
            PilotRegionView(
                regionCode: try row.decode("region_code"), regionName: try row.decode("region_name"),
                batchYear: try row.decode("batch_year"), approvedOn: try row.decode("approved_on"))
        }
    }
}

/// An approved pilot region.
struct PilotRegionView: Codable, Sendable, Equatable {
    var regionCode: String
    var regionName: String
    var batchYear: Int
    var approvedOn: String
}
