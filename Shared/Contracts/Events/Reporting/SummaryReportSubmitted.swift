import Foundation

/// A pilot region submitted its summary report for the campaign year to the six ministries: the version is locked
/// and its content hash recorded.
///
/// Event type `gbm.reporting.report.submitted.v1` on topic `gbm.reporting.reports.v1`; key: `reportID`.
public struct SummaryReportSubmitted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.reporting.report.submitted.v1", topic: .reportingReports,
        summary: "A pilot region submitted its summary report for the campaign year; the version is locked.")

    /// The report (all its versions share it).
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// The version submitted (1 for the first submission).
    public var version: Int
    /// SHA-256 of the version's canonical JSON document.
    public var contentSHA256: String
    /// Whether it was submitted by 30 November of the campaign year (Asia/Shanghai).
    public var submittedBeforeDeadline: Bool
    /// Activities held in the region that year.
    public var activitiesHeld: Int
    /// Their attendance.
    public var attendance: Int
    /// Subsidy paid in the region, net of clawbacks, in fen.
    public var subsidyPaid: Fen
    /// When.
    public var submittedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String, regionCode: DivisionCode, campaignYear: Int, version: Int, contentSHA256: String,
        submittedBeforeDeadline: Bool, activitiesHeld: Int, attendance: Int, subsidyPaid: Fen, submittedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.version = version
        self.contentSHA256 = contentSHA256
        self.submittedBeforeDeadline = submittedBeforeDeadline
        self.activitiesHeld = activitiesHeld
        self.attendance = attendance
        self.subsidyPaid = subsidyPaid
        self.submittedAt = submittedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report (all its versions share it)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("version", .integer(minimum: 1, maximum: 10_000), "The version submitted."),
            .required("contentSHA256", .sha256, "SHA-256 of the version's canonical JSON document."),
            .required("submittedBeforeDeadline", .boolean, "Whether it was submitted by 30 November of the campaign year."),
            .required("activitiesHeld", .count, "Activities held in the region that year."),
            .required("attendance", .count, "Their attendance."),
            .required("subsidyPaid", .integer(), "Subsidy paid in the region, net of clawbacks, in fen."),
            .required("submittedAt", .dateTime, "When."),
        ])
    }

    public static var example: SummaryReportSubmitted {
        SummaryReportSubmitted(
            reportID: "e3d2c1b0-a9f8-4e7d-8c6b-5a4f3e2d1c0b", regionCode: Example.division("330000"), campaignYear: 2023,
            version: 1, contentSHA256: Example.digest, submittedBeforeDeadline: true, activitiesHeld: 58,
            attendance: 41_200, subsidyPaid: Fen(yuan: 29_410_500), submittedAt: Example.time("2023-11-21T02:00:00Z"))
    }
}
