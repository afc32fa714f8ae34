import Foundation

/// A product was added to a pilot region's local list, either as certified or as meeting a published technical requirement.
///
/// Event type `gbm.catalogue.local-list.entry-added.v1` on topic `gbm.catalogue.local-lists.v1`; key: `regionCode`.
public struct LocalListEntryAdded: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.local-list.entry-added.v1", topic: .catalogueLocalLists,
        summary: "A product was added to a pilot region's local list, either as certified or as meeting a published technical requirement.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The entry's id.
    public var entryID: String
    /// Why the product is listed.
    public var basis: LocalListEntryBasis
    /// The product's certificate, when the basis is certified.
    public var certificateNumber: CertificateNumber?
    /// The technical requirement met, when the basis is technical-requirement.
    public var requirementID: String?
    /// Number of the test report showing compliance.
    public var testReportNumber: String?
    /// The testing body that issued the report.
    public var testingBody: String?
    /// The manufacturer.
    public var manufacturerCreditCode: UnifiedSocialCreditCode
    /// Product name.
    public var productName: String
    /// Series or model.
    public var model: String
    /// Certification class.
    public var category: ProductCategory
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the entry was added.
    public var addedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        entryID: String,
        basis: LocalListEntryBasis,
        certificateNumber: CertificateNumber? = nil,
        requirementID: String? = nil,
        testReportNumber: String? = nil,
        testingBody: String? = nil,
        manufacturerCreditCode: UnifiedSocialCreditCode,
        productName: String,
        model: String,
        category: ProductCategory,
        actorRole: ActorRole,
        addedAt: Date
    ) {
        self.regionCode = regionCode
        self.entryID = entryID
        self.basis = basis
        self.certificateNumber = certificateNumber
        self.requirementID = requirementID
        self.testReportNumber = testReportNumber
        self.testingBody = testingBody
        self.manufacturerCreditCode = manufacturerCreditCode
        self.productName = productName
        self.model = model
        self.category = category
        self.actorRole = actorRole
        self.addedAt = addedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("entryID", .uuid, "The entry's id."),
            .required("basis", .enumeration(LocalListEntryBasis.self), "Why the product is listed."),
            .optional("certificateNumber", .certificateNumber, "The product's certificate, when the basis is certified."),
            .optional("requirementID", .uuid, "The technical requirement met, when the basis is technical-requirement."),
            .optional("testReportNumber", .text(maxLength: 100), "Number of the test report showing compliance."),
            .optional("testingBody", .text(maxLength: 200), "The testing body that issued the report."),
            .required("manufacturerCreditCode", .creditCode, "The manufacturer."),
            .required("productName", .text(maxLength: 200), "Product name."),
            .required("model", .text(maxLength: 200), "Series or model."),
            .required("category", .enumeration(ProductCategory.self), "Certification class."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("addedAt", .dateTime, "When the entry was added."),
        ])
    }

    public static var example: LocalListEntryAdded {
        LocalListEntryAdded(
            regionCode: Example.division("330000"),
            entryID: "6f1d2c3b-4a59-4e8d-8c7b-1f2e3d4c5b6a",
            basis: .technicalRequirement,
            certificateNumber: Example.certificate("CGBM-2023-ZJ-000871"),
            requirementID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            testReportNumber: "ZJJC-2023-W-04518",
            testingBody: "浙江省建材产品质量检测中心",
            manufacturerCreditCode: Example.creditCode("91330100MA2B7K3L5R"),
            productName: "断桥铝合金节能窗",
            model: "LZ-70",
            category: .windowsCurtainWallsAndDecoration,
            actorRole: .regionalOfficial,
            addedAt: Example.time("2023-05-08T01:30:00Z")
        )
    }
}
