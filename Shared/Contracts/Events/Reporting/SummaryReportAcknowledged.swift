import Foundation

/// A ministry official acknowledged a pilot region's submitted summary report.
///
/// Event type `gbm.reporting.report.acknowledged.v1` on topic `gbm.reporting.reports.v1`; key: `reportID`.
public struct SummaryReportAcknowledged: EventPayload {
    public static let eventType = EventType(
        name: "gbm.reporting.report.acknowledged.v1", topic: .reportingReports,
        summary: "A ministry official acknowledged a pilot region's submitted summary report.")

    /// The report.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// The version acknowledged.
    public var version: Int
    /// SHA-256 of the version acknowledged.
    public var contentSHA256: String
    /// The acknowledging official's department, when the token names one.
    public var department: GuidingDepartment?
    /// When.
    public var acknowledgedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String, regionCode: DivisionCode, campaignYear: Int, version: Int, contentSHA256: String,
        department: GuidingDepartment? = nil, acknowledgedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.version = version
        self.contentSHA256 = contentSHA256
        self.department = department
        self.acknowledgedAt = acknowledgedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("version", .integer(minimum: 1, maximum: 10_000), "The version acknowledged."),
            .required("contentSHA256", .sha256, "SHA-256 of the version acknowledged."),
            .optional("department", .enumeration(GuidingDepartment.self), "The acknowledging official's department."),
            .required("acknowledgedAt", .dateTime, "When."),
        ])
    }

    public static var example: SummaryReportAcknowledged {
        SummaryReportAcknowledged(
            reportID: "e3d2c1b0-a9f8-4e7d-8c6b-5a4f3e2d1c0b", regionCode: Example.division("330000"), campaignYear: 2023,
            version: 1, contentSHA256: Example.digest, department: .miit, acknowledgedAt: Example.time("2023-11-24T02:00:00Z"))
    }
}
