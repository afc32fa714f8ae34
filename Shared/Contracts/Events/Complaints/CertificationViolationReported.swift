import Foundation

/// A certification violation was reported to the market regulator; the catalogue flags the product as under investigation.
///
/// Event type `gbm.complaints.report.certification-violation-reported.v1` on topic `gbm.complaints.reports.v1`; key: `reportID`.
public struct CertificationViolationReported: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.report.certification-violation-reported.v1", topic: .complaintsReports,
        summary: "A certification violation was reported to the market regulator; the catalogue flags the product as under investigation.")

    /// The report's id.
    public var reportID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The complaint it arose from, if any.
    public var complaintID: String?
    /// The certificate concerned.
    public var certificateNumber: CertificateNumber
    /// The certificate holder, if known.
    public var holderCreditCode: UnifiedSocialCreditCode?
    /// The certification body, if known.
    public var certificationBody: String?
    /// What is reported.
    public var violationKind: ViolationKind
    /// What was found (no personal data).
    public var summary: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var reportedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String,
        regionCode: DivisionCode,
        complaintID: String? = nil,
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode? = nil,
        certificationBody: String? = nil,
        violationKind: ViolationKind,
        summary: String,
        actorRole: ActorRole,
        reportedAt: Date
    ) {
        self.reportID = reportID
        self.regionCode = regionCode
        self.complaintID = complaintID
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.certificationBody = certificationBody
        self.violationKind = violationKind
        self.summary = summary
        self.actorRole = actorRole
        self.reportedAt = reportedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .optional("complaintID", .uuid, "The complaint it arose from, if any."),
            .required("certificateNumber", .certificateNumber, "The certificate concerned."),
            .optional("holderCreditCode", .creditCode, "The certificate holder, if known."),
            .optional("certificationBody", .text(maxLength: 200), "The certification body, if known."),
            .required("violationKind", .enumeration(ViolationKind.self), "What is reported."),
            .required("summary", .text(maxLength: 2000), "What was found (no personal data)."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("reportedAt", .dateTime, "When."),
        ])
    }

    public static var example: CertificationViolationReported {
        CertificationViolationReported(
            reportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            regionCode: Example.division("330000"),
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            certificationBody: "中国建材检验认证集团股份有限公司",
            violationKind: .productDoesNotMatchCertificate,
            summary: "抽检样品导热系数与认证样品不一致",
            actorRole: .marketRegulator,
            reportedAt: Example.time("2023-06-30T08:00:00Z")
        )
    }
}
