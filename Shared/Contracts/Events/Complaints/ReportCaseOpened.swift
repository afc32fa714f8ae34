import Foundation

/// The market regulator decided to open a case (立案) on a report.
///
/// Event type `gbm.complaints.report.case-opened.v1` on topic `gbm.complaints.reports.v1`; key: `reportID`.
public struct ReportCaseOpened: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.report.case-opened.v1", topic: .complaintsReports,
        summary: "The market regulator decided to open a case (立案) on a report.")

    /// The report.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Day of the decision.
    public var openedOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var openedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String,
        regionCode: DivisionCode,
        openedOn: CalendarDate,
        actorRole: ActorRole,
        openedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.openedOn = openedOn
        self.actorRole = actorRole
        self.openedAt = openedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("openedOn", .date, "Day of the decision."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("openedAt", .dateTime, "When."),
        ])
    }

    public static var example: ReportCaseOpened {
        ReportCaseOpened(
            reportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            regionCode: Example.division("330106"),
            openedOn: Example.day("2023-10-16"),
            actorRole: .marketRegulator,
            openedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
