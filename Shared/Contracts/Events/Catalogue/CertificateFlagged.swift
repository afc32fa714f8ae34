import Foundation

/// A certified product was flagged as under investigation after a certification-violation report; its status is unchanged.
///
/// Event type `gbm.catalogue.certificate.flagged.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateFlagged: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.flagged.v1", topic: .catalogueCertificates,
        summary: "A certified product was flagged as under investigation after a certification-violation report; its status is unchanged.")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// Product name.
    public var productName: String
    /// The complaints service's violation report that caused the flag.
    public var violationReportID: String
    /// What was reported.
    public var violationKind: ViolationKind
    /// When the flag was set.
    public var flaggedAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        productName: String,
        violationReportID: String,
        violationKind: ViolationKind,
        flaggedAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.productName = productName
        self.violationReportID = violationReportID
        self.violationKind = violationKind
        self.flaggedAt = flaggedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("productName", .text(maxLength: 200), "Product name."),
            .required("violationReportID", .uuid, "The complaints service's violation report that caused the flag."),
            .required("violationKind", .enumeration(ViolationKind.self), "What was reported."),
            .required("flaggedAt", .dateTime, "When the flag was set."),
        ])
    }

    public static var example: CertificateFlagged {
        CertificateFlagged(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            productName: "岩棉外墙保温板",
            violationReportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            violationKind: .productDoesNotMatchCertificate,
            flaggedAt: Example.time("2023-07-01T02:00:00Z")
        )
    }
}
