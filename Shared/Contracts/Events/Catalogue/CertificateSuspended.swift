import Foundation

/// A certification body suspended a certificate; products under it are not eligible until it is restored.
///
/// Event type `gbm.catalogue.certificate.suspended.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateSuspended: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.suspended.v1", topic: .catalogueCertificates,
        summary: "A certification body suspended a certificate; products under it are not eligible until it is restored.")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// Status before the change.
    public var previousStatus: CertificateStatus
    /// End of the suspension, if fixed.
    public var suspendedUntil: CalendarDate?
    /// Why, as recorded by the actor.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the change took effect.
    public var suspendedAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        previousStatus: CertificateStatus,
        suspendedUntil: CalendarDate? = nil,
        reason: String,
        actorRole: ActorRole,
        suspendedAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.previousStatus = previousStatus
        self.suspendedUntil = suspendedUntil
        self.reason = reason
        self.actorRole = actorRole
        self.suspendedAt = suspendedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("previousStatus", .enumeration(CertificateStatus.self), "Status before the change."),
            .optional("suspendedUntil", .date, "End of the suspension, if fixed."),
            .required("reason", .text(maxLength: 1000), "Why, as recorded by the actor."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("suspendedAt", .dateTime, "When the change took effect."),
        ])
    }

    public static var example: CertificateSuspended {
        CertificateSuspended(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            previousStatus: .valid,
            suspendedUntil: Example.day("2023-10-03"),
            reason: "监督抽查不合格，暂停使用认证证书",
            actorRole: .certificationBody,
            suspendedAt: Example.time("2023-07-03T08:00:00Z")
        )
    }
}
