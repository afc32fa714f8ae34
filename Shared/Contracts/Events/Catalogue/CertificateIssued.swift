import Foundation

/// A certification body issued a green building material certificate for a product (valid five years).
///
/// Event type `gbm.catalogue.certificate.issued.v1` on topic `gbm.catalogue.certificates.v1`; key: `certificateNumber`.
public struct CertificateIssued: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.certificate.issued.v1", topic: .catalogueCertificates,
        summary: "A certification body issued a green building material certificate for a product (valid five years).")

    /// The certificate number (never reused once revoked).
    public var certificateNumber: CertificateNumber
    /// The certificate holder's unified social credit code.
    public var holderCreditCode: UnifiedSocialCreditCode
    /// The manufacturer (may differ from the holder).
    public var manufacturerCreditCode: UnifiedSocialCreditCode
    /// The factory where the product is made.
    public var factoryName: String?
    /// Name of the certification body.
    public var certificationBody: String
    /// Product name.
    public var productName: String
    /// Series or model.
    public var model: String
    /// Certification class.
    public var category: ProductCategory
    /// Sub-category within the class.
    public var subCategory: String
    /// Star grade.
    public var starGrade: StarGrade
    /// The standard the product was certified against.
    public var certificationBasis: String
    /// First day of validity.
    public var issuedOn: CalendarDate
    /// Last day of validity (five years).
    public var expiresOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the certificate was recorded.
    public var issuedAt: Date

    public var aggregateID: String { certificateNumber.rawValue }

    public init(
        certificateNumber: CertificateNumber,
        holderCreditCode: UnifiedSocialCreditCode,
        manufacturerCreditCode: UnifiedSocialCreditCode,
        factoryName: String? = nil,
        certificationBody: String,
        productName: String,
        model: String,
        category: ProductCategory,
        subCategory: String,
        starGrade: StarGrade,
        certificationBasis: String,
        issuedOn: CalendarDate,
        expiresOn: CalendarDate,
        actorRole: ActorRole,
        issuedAt: Date
    ) {
        self.certificateNumber = certificateNumber
        self.holderCreditCode = holderCreditCode
        self.manufacturerCreditCode = manufacturerCreditCode
        self.factoryName = factoryName
        self.certificationBody = certificationBody
        self.productName = productName
        self.model = model
        self.category = category
        self.subCategory = subCategory
        self.starGrade = starGrade
        self.certificationBasis = certificationBasis
        self.issuedOn = issuedOn
        self.expiresOn = expiresOn
        self.actorRole = actorRole
        self.issuedAt = issuedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("certificateNumber", .certificateNumber, "The certificate number (never reused once revoked)."),
            .required("holderCreditCode", .creditCode, "The certificate holder's unified social credit code."),
            .required("manufacturerCreditCode", .creditCode, "The manufacturer (may differ from the holder)."),
            .optional("factoryName", .text(maxLength: 200), "The factory where the product is made."),
            .required("certificationBody", .text(maxLength: 200), "Name of the certification body."),
            .required("productName", .text(maxLength: 200), "Product name."),
            .required("model", .text(maxLength: 200), "Series or model."),
            .required("category", .enumeration(ProductCategory.self), "Certification class."),
            .required("subCategory", .text(maxLength: 100), "Sub-category within the class."),
            .required("starGrade", .enumeration(StarGrade.self), "Star grade."),
            .required("certificationBasis", .text(maxLength: 200), "The standard the product was certified against."),
            .required("issuedOn", .date, "First day of validity."),
            .required("expiresOn", .date, "Last day of validity (five years)."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("issuedAt", .dateTime, "When the certificate was recorded."),
        ])
    }

    public static var example: CertificateIssued {
        CertificateIssued(
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            holderCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            manufacturerCreditCode: Example.creditCode("91370200MA3C4D5E6X"),
            factoryName: "青岛绿源建材有限公司胶州工厂",
            certificationBody: "中国建材检验认证集团股份有限公司",
            productName: "岩棉外墙保温板",
            model: "LY-RW120",
            category: .enclosureStructuresAndConcrete,
            subCategory: "保温系统材料",
            starGrade: .threeStar,
            certificationBasis: "T/CECS 10025-2019",
            issuedOn: Example.day("2023-04-10"),
            expiresOn: Example.day("2028-04-09"),
            actorRole: .certificationBody,
            issuedAt: Example.time("2023-04-10T03:00:00Z")
        )
    }
}
