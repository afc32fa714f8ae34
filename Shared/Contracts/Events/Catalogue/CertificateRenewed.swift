import Foundation

/// A certificate was renewed for a further validity period, possibly with a new star grade.
///
/// Event type `gbm.catalogue.certificate.renewed.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateRenewed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.renewed.v1", topic: .catalogueCertificates,
        summary: "A certificate was renewed for a further validity period, possibly with a new star grade.")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// Star grade after renewal.
    public var starGrade: StarGrade
    /// Expiry date before renewal.
    public var previousExpiresOn: CalendarDate
    /// New last day of validity.
    public var expiresOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the renewal was recorded.
    public var renewedAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        starGrade: StarGrade,
        previousExpiresOn: CalendarDate,
        expiresOn: CalendarDate,
        actorRole: ActorRole,
        renewedAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.starGrade = starGrade
        self.previousExpiresOn = previousExpiresOn
        self.expiresOn = expiresOn
        self.actorRole = actorRole
        self.renewedAt = renewedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("starGrade", .enumeration(StarGrade.self), "Star grade after renewal."),
            .required("previousExpiresOn", .date, "Expiry date before renewal."),
            .required("expiresOn", .date, "New last day of validity."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("renewedAt", .dateTime, "When the renewal was recorded."),
        ])
    }

    public static var example: CertificateRenewed {
        CertificateRenewed(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            starGrade: .threeStar,
            previousExpiresOn: Example.day("2023-08-31"),
            expiresOn: Example.day("2028-08-31"),
            actorRole: .certificationBody,
            renewedAt: Example.time("2023-08-20T06:00:00Z")
        )
    }
}
