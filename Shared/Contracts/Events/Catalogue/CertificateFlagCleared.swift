import Foundation

/// The under-investigation flag of a certified product was cleared (any status change is a separate event).
///
/// Event type `gbm.catalogue.certificate.flag-cleared.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateFlagCleared: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.flag-cleared.v1", topic: .catalogueCertificates,
        summary: "The under-investigation flag of a certified product was cleared (any status change is a separate event).")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// The violation report whose investigation ended.
    public var violationReportID: String
    /// Outcome of the investigation.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the flag was cleared.
    public var clearedAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        violationReportID: String,
        reason: String,
        actorRole: ActorRole,
        clearedAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.violationReportID = violationReportID
        self.reason = reason
        self.actorRole = actorRole
        self.clearedAt = clearedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("violationReportID", .uuid, "The violation report whose investigation ended."),
            .required("reason", .text(maxLength: 1000), "Outcome of the investigation."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("clearedAt", .dateTime, "When the flag was cleared."),
        ])
    }

    public static var example: CertificateFlagCleared {
        CertificateFlagCleared(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            violationReportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            reason: "调查结束：未发现违规",
            actorRole: .marketRegulator,
            clearedAt: Example.time("2023-08-15T02:00:00Z")
        )
    }
}
