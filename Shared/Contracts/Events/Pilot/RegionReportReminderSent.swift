import Foundation

/// A pilot region was reminded that its summary report is due (14 and 3 days before 30 November).
///
/// Event type `gbm.pilot.region.report-reminder-sent.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionReportReminderSent: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.report-reminder-sent.v1", topic: .pilotRegions,
        summary: "A pilot region was reminded that its summary report is due (14 and 3 days before 30 November).")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// Due date of the summary report.
    public var dueOn: CalendarDate
    /// Days left until the due date.
    public var daysBefore: Int
    /// When the reminder was sent.
    public var sentAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        campaignYear: Int,
        dueOn: CalendarDate,
        daysBefore: Int,
        sentAt: Date
    ) {
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.dueOn = dueOn
        self.daysBefore = daysBefore
        self.sentAt = sentAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("dueOn", .date, "Due date of the summary report."),
            .required("daysBefore", .integer(minimum: 1), "Days left until the due date."),
            .required("sentAt", .dateTime, "When the reminder was sent."),
        ])
    }

    public static var example: RegionReportReminderSent {
        RegionReportReminderSent(
            regionCode: Example.division("330000"),
            campaignYear: 2023,
            dueOn: Example.day("2023-11-30"),
            daysBefore: 14,
            sentAt: Example.time("2023-11-16T01:00:00Z")
        )
    }
}
