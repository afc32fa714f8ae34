import Foundation

/// A pilot region corrected its submitted summary report: a new, locked version with the reason; the earlier
/// version stays as it was.
///
/// Event type `gbm.reporting.report.corrected.v1` on topic `gbm.reporting.reports.v1`; key: `reportID`.
public struct SummaryReportCorrected: EventPayload {
    public static let eventType = EventType(
        name: "gbm.reporting.report.corrected.v1", topic: .reportingReports,
        summary: "A pilot region corrected its submitted summary report: a new locked version with its reason.")

    /// The report.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// The new version.
    public var version: Int
    /// The version it replaces.
    public var previousVersion: Int
    /// SHA-256 of the replaced version.
    public var previousContentSHA256: String
    /// SHA-256 of the new version.
    public var contentSHA256: String
    /// Why it was corrected.
    public var reason: String
    /// When.
    public var correctedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String, regionCode: DivisionCode, campaignYear: Int, version: Int, previousVersion: Int,
        previousContentSHA256: String, contentSHA256: String, reason: String, correctedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.version = version
        self.previousVersion = previousVersion
        self.previousContentSHA256 = previousContentSHA256
        self.contentSHA256 = contentSHA256
        self.reason = reason
        self.correctedAt = correctedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("version", .integer(minimum: 2, maximum: 10_000), "The new version."),
            .required("previousVersion", .integer(minimum: 1, maximum: 10_000), "The version it replaces."),
            .required("previousContentSHA256", .sha256, "SHA-256 of the replaced version."),
            .required("contentSHA256", .sha256, "SHA-256 of the new version."),
            .required("reason", .text(maxLength: 2000), "Why it was corrected."),
            .required("correctedAt", .dateTime, "When."),
        ])
    }

    public static var example: SummaryReportCorrected {
        SummaryReportCorrected(
            reportID: "e3d2c1b0-a9f8-4e7d-8c6b-5a4f3e2d1c0b", regionCode: Example.division("330000"), campaignYear: 2023,
            version: 2, previousVersion: 1, previousContentSHA256: Example.digest,
            contentSHA256: "0f3e5d7c9b1a2f4e6d8c0b2a4f6e8d0c2b4a6f8e0d2c4b6a8f0e2d4c6b8a0f1e", reason: "县级活动数据补录",
            correctedAt: Example.time("2023-11-28T02:00:00Z"))
    }
}
