import Foundation

/// A pilot region published a technical requirement that uncertified products on its local list must meet.
///
/// Event type `gbm.catalogue.local-list.requirement-published.v1` on topic `gbm.catalogue.local-lists.v1`; key: `regionCode`.
public struct LocalListRequirementPublished: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.local-list.requirement-published.v1", topic: .catalogueLocalLists,
        summary: "A pilot region published a technical requirement that uncertified products on its local list must meet.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The requirement's id.
    public var requirementID: String
    /// Class of products it applies to.
    public var category: ProductCategory
    /// Products it applies to.
    public var productScope: String
    /// The standard the indicator comes from.
    public var standardCode: String
    /// What is measured.
    public var indicator: String
    /// The limit, with its comparison and unit.
    public var threshold: String
    /// First day it applies.
    public var effectiveOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When it was published.
    public var publishedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        requirementID: String,
        category: ProductCategory,
        productScope: String,
        standardCode: String,
        indicator: String,
        threshold: String,
        effectiveOn: CalendarDate,
        actorRole: ActorRole,
        publishedAt: Date
    ) {
        self.regionCode = regionCode
        self.requirementID = requirementID
        self.category = category
        self.productScope = productScope
        self.standardCode = standardCode
        self.indicator = indicator
        self.threshold = threshold
        self.effectiveOn = effectiveOn
        self.actorRole = actorRole
        self.publishedAt = publishedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("requirementID", .uuid, "The requirement's id."),
            .required("category", .enumeration(ProductCategory.self), "Class of products it applies to."),
            .required("productScope", .text(maxLength: 200), "Products it applies to."),
            .required("standardCode", .text(maxLength: 100), "The standard the indicator comes from."),
            .required("indicator", .text(maxLength: 200), "What is measured."),
            .required("threshold", .text(maxLength: 100), "The limit, with its comparison and unit."),
            .required("effectiveOn", .date, "First day it applies."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("publishedAt", .dateTime, "When it was published."),
        ])
    }

    public static var example: LocalListRequirementPublished {
        LocalListRequirementPublished(
            regionCode: Example.division("330000"),
            requirementID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            category: .windowsCurtainWallsAndDecoration,
            productScope: "节能外窗",
            standardCode: "GB/T 8484-2020",
            indicator: "传热系数 K",
            threshold: "≤ 2.0 W/(m²·K)",
            effectiveOn: Example.day("2023-05-01"),
            actorRole: .regionalOfficial,
            publishedAt: Example.time("2023-04-25T02:00:00Z")
        )
    }
}
