import Foundation

/// The market regulator decided not to open a case on a report, with the reason.
///
/// Event type `gbm.complaints.report.case-declined.v1` on topic `gbm.complaints.reports.v1`; key: `reportID`.
public struct ReportCaseDeclined: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.report.case-declined.v1", topic: .complaintsReports,
        summary: "The market regulator decided not to open a case on a report, with the reason.")

    /// The report.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Why (no personal data).
    public var reason: String
    /// Day of the decision.
    public var decidedOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var decidedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String,
        regionCode: DivisionCode,
        reason: String,
        decidedOn: CalendarDate,
        actorRole: ActorRole,
        decidedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.reason = reason
        self.decidedOn = decidedOn
        self.actorRole = actorRole
        self.decidedAt = decidedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reason", .text(maxLength: 1000), "Why (no personal data)."),
            .required("decidedOn", .date, "Day of the decision."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("decidedAt", .dateTime, "When."),
        ])
    }

    public static var example: ReportCaseDeclined {
        ReportCaseDeclined(
            reportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            regionCode: Example.division("330106"),
            reason: "经核查未发现违法行为",
            decidedOn: Example.day("2023-10-16"),
            actorRole: .marketRegulator,
            decidedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
