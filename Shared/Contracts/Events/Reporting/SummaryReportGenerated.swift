import Foundation

/// A pilot region's summary report for the campaign year was generated for the six ministries.
///
/// Event type `gbm.reporting.report.summary-generated.v1` on topic `gbm.reporting.reports.v1`; key: `reportID`.
public struct SummaryReportGenerated: EventPayload {
    public static let eventType = EventType(
        name: "gbm.reporting.report.summary-generated.v1", topic: .reportingReports,
        summary: "A pilot region's summary report for the campaign year was generated for the six ministries.")

    /// The report's id.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Campaign year.
    public var campaignYear: Int
    /// First day covered.
    public var periodStart: CalendarDate
    /// Last day covered.
    public var periodEnd: CalendarDate
    /// Activities held.
    public var activitiesHeld: Int
    /// Total attendance.
    public var attendance: Int
    /// Enrolled participants.
    public var participatingEnterprises: Int
    /// Certified products on sale in the region.
    public var certifiedProducts: Int
    /// Sales recorded at activities, in fen.
    public var sales: Fen
    /// Subsidies paid, in fen.
    public var subsidyPaid: Fen
    /// Complaints received.
    public var complaintsReceived: Int
    /// Complaints resolved.
    public var complaintsResolved: Int
    /// SHA-256 of the generated report document.
    public var documentSHA256: String
    /// Whether it was generated before 30 November.
    public var submittedBeforeDeadline: Bool
    /// When.
    public var generatedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String,
        regionCode: DivisionCode,
        campaignYear: Int,
        periodStart: CalendarDate,
        periodEnd: CalendarDate,
        activitiesHeld: Int,
        attendance: Int,
        participatingEnterprises: Int,
        certifiedProducts: Int,
        sales: Fen,
        subsidyPaid: Fen,
        complaintsReceived: Int,
        complaintsResolved: Int,
        documentSHA256: String,
        submittedBeforeDeadline: Bool,
        generatedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.campaignYear = campaignYear
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.activitiesHeld = activitiesHeld
        self.attendance = attendance
        self.participatingEnterprises = participatingEnterprises
        self.certifiedProducts = certifiedProducts
        self.sales = sales
        self.subsidyPaid = subsidyPaid
        self.complaintsReceived = complaintsReceived
        self.complaintsResolved = complaintsResolved
        self.documentSHA256 = documentSHA256
        self.submittedBeforeDeadline = submittedBeforeDeadline
        self.generatedAt = generatedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("campaignYear", .year, "Campaign year."),
            .required("periodStart", .date, "First day covered."),
            .required("periodEnd", .date, "Last day covered."),
            .required("activitiesHeld", .count, "Activities held."),
            .required("attendance", .count, "Total attendance."),
            .required("participatingEnterprises", .count, "Enrolled participants."),
            .required("certifiedProducts", .count, "Certified products on sale in the region."),
            .required("sales", .fen, "Sales recorded at activities, in fen."),
            .required("subsidyPaid", .fen, "Subsidies paid, in fen."),
            .required("complaintsReceived", .count, "Complaints received."),
            .required("complaintsResolved", .count, "Complaints resolved."),
            .required("documentSHA256", .sha256, "SHA-256 of the generated report document."),
            .required("submittedBeforeDeadline", .boolean, "Whether it was generated before 30 November."),
            .required("generatedAt", .dateTime, "When."),
        ])
    }

    public static var example: SummaryReportGenerated {
        SummaryReportGenerated(
            reportID: "e3d2c1b0-a9f8-4e7d-8c6b-5a4f3e2d1c0b",
            regionCode: Example.division("330000"),
            campaignYear: 2023,
            periodStart: Example.day("2023-01-01"),
            periodEnd: Example.day("2023-11-20"),
            activitiesHeld: 58,
            attendance: 41_200,
            participatingEnterprises: 214,
            certifiedProducts: 1_362,
            sales: Fen(yuan: 612_400_000),
            subsidyPaid: Fen(yuan: 29_410_500),
            complaintsReceived: 37,
            complaintsResolved: 35,
            documentSHA256: Example.digest,
            submittedBeforeDeadline: true,
            generatedAt: Example.time("2023-11-21T02:00:00Z")
        )
    }
}
