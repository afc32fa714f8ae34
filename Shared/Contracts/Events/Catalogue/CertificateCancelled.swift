import Foundation

/// A certificate was cancelled (at the holder's request or because the product was discontinued).
///
/// Event type `gbm.catalogue.certificate.cancelled.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateCancelled: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.cancelled.v1", topic: .catalogueCertificates,
        summary: "A certificate was cancelled (at the holder's request or because the product was discontinued).")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// Status before the change.
    public var previousStatus: CertificateStatus
    /// Why, as recorded by the actor.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the change took effect.
    public var cancelledAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        previousStatus: CertificateStatus,
        reason: String,
        actorRole: ActorRole,
        cancelledAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.previousStatus = previousStatus
        self.reason = reason
        self.actorRole = actorRole
        self.cancelledAt = cancelledAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("previousStatus", .enumeration(CertificateStatus.self), "Status before the change."),
            .required("reason", .text(maxLength: 1000), "Why, as recorded by the actor."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("cancelledAt", .dateTime, "When the change took effect."),
        ])
    }

    public static var example: CertificateCancelled {
        CertificateCancelled(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            previousStatus: .valid,
            reason: "企业申请注销：产品停产",
            actorRole: .certificationBody,
            cancelledAt: Example.time("2023-11-02T08:00:00Z")
        )
    }
}
