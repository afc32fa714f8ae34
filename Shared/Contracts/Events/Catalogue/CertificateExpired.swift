import Foundation

/// A certificate passed its expiry date without renewal (set by the scheduled job).
///
/// Event type `gbm.catalogue.certificate.expired.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateExpired: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.expired.v1", topic: .catalogueCertificates,
        summary: "A certificate passed its expiry date without renewal (set by the scheduled job).")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// Status before the change.
    public var previousStatus: CertificateStatus
    /// The certificate's last day of validity.
    public var expiredOn: CalendarDate
    /// Why, as recorded by the actor.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the change took effect.
    public var expiredAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        previousStatus: CertificateStatus,
        expiredOn: CalendarDate,
        reason: String,
        actorRole: ActorRole,
        expiredAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.previousStatus = previousStatus
        self.expiredOn = expiredOn
        self.reason = reason
        self.actorRole = actorRole
        self.expiredAt = expiredAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("previousStatus", .enumeration(CertificateStatus.self), "Status before the change."),
            .required("expiredOn", .date, "The certificate's last day of validity."),
            .required("reason", .text(maxLength: 1000), "Why, as recorded by the actor."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("expiredAt", .dateTime, "When the change took effect."),
        ])
    }

    public static var example: CertificateExpired {
        CertificateExpired(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            previousStatus: .valid,
            expiredOn: Example.day("2023-08-31"),
            reason: "有效期届满未续证",
            actorRole: .system,
            expiredAt: Example.time("2023-08-31T16:00:00Z")
        )
    }
}
