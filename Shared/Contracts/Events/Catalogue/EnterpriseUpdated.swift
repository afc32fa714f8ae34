import Foundation

/// An enterprise's details changed; the event carries the full new state and which fields changed.
///
/// Event type `gbm.catalogue.enterprise.updated.v1` on topic `gbm.catalogue.enterprises.v1`; key: `creditCode`.
public struct EnterpriseUpdated: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.enterprise.updated.v1", topic: .catalogueEnterprises,
        summary: "An enterprise's details changed; the event carries the full new state and which fields changed.")

    /// The enterprise's unified social credit code.
    public var creditCode: UnifiedSocialCreditCode
    /// Registered name.
    public var name: String
    /// Kind of business.
    public var kind: EnterpriseKind
    /// Division code of the registered address.
    public var regionCode: DivisionCode
    /// Registered business address.
    public var address: String
    /// Whether the enterprise is a chain leader (链主).
    public var isChainLeader: Bool
    /// Industrial cluster it belongs to, if any.
    public var industrialCluster: String?
    /// Names of the fields of this payload whose value changed.
    public var changedFields: [String]
    /// When the change was made.
    public var updatedAt: Date
    /// Role of whoever made the change.
    public var actorRole: ActorRole

    public var aggregateID: String { creditCode.rawValue }

    public init(
        creditCode: UnifiedSocialCreditCode,
        name: String,
        kind: EnterpriseKind,
        regionCode: DivisionCode,
        address: String,
        isChainLeader: Bool,
        industrialCluster: String? = nil,
        changedFields: [String],
        updatedAt: Date,
        actorRole: ActorRole
    ) {
        self.creditCode = creditCode
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.address = address
        self.isChainLeader = isChainLeader
        self.industrialCluster = industrialCluster
        self.changedFields = changedFields
        self.updatedAt = updatedAt
        self.actorRole = actorRole
    }

    public static var schema: JSONSchema {
        .object([
            .required("creditCode", .creditCode, "The enterprise's unified social credit code."),
            .required("name", .text(maxLength: 200), "Registered name."),
            .required("kind", .enumeration(EnterpriseKind.self), "Kind of business."),
            .required("regionCode", .divisionCode, "Division code of the registered address."),
            .required("address", .text(maxLength: 300), "Registered business address."),
            .required("isChainLeader", .boolean, "Whether the enterprise is a chain leader (链主)."),
            .optional("industrialCluster", .text(maxLength: 200), "Industrial cluster it belongs to, if any."),
            .required("changedFields", .array(of: .text(maxLength: 64), minItems: 1, uniqueItems: true), "Names of the fields of this payload whose value changed."),
            .required("updatedAt", .dateTime, "When the change was made."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
        ])
    }

    public static var example: EnterpriseUpdated {
        EnterpriseUpdated(
            creditCode: Example.creditCode("91330100MA2B7K3L5R"),
            name: "浙江绿筑新材料科技股份有限公司",
            kind: .manufacturer,
            regionCode: Example.division("330106"),
            address: "杭州市西湖区文三路 398 号",
            isChainLeader: true,
            industrialCluster: "杭州绿色建材产业集群",
            changedFields: ["name"],
            updatedAt: Example.time("2023-06-12T02:15:00Z"),
            actorRole: .enterprise
        )
    }
}
