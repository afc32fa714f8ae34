import Foundation

/// A pilot region's summary report is overdue: the due date passed without a report.
///
/// Event type `gbm.pilot.region.report-deadline-missed.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionReportDeadlineMissed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.report-deadline-missed.v1", topic: .pilotRegions,
        summary: "A pilot region's summary report is overdue: the due date passed without a report.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// The missed due date.
    public var dueOn: CalendarDate
    /// When the overdue state was detected.
    public var detectedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        campaignYear: Int,
        dueOn: CalendarDate,
        detectedAt: Date
    ) {
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.dueOn = dueOn
        self.detectedAt = detectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("dueOn", .date, "The missed due date."),
            .required("detectedAt", .dateTime, "When the overdue state was detected."),
        ])
    }

    public static var example: RegionReportDeadlineMissed {
        RegionReportDeadlineMissed(
            regionCode: Example.division("330000"),
            campaignYear: 2023,
            dueOn: Example.day("2023-11-30"),
            detectedAt: Example.time("2023-11-30T16:00:05Z")
        )
    }
}
