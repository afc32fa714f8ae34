import Foundation

/// An enterprise (manufacturer, e-commerce platform or store) was registered in the catalogue.
///
/// Event type `gbm.catalogue.enterprise.registered.v1` on topic `gbm.catalogue.enterprises.v1`; key: `creditCode`.
public struct EnterpriseRegistered: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.enterprise.registered.v1", topic: .catalogueEnterprises,
        summary: "An enterprise (manufacturer, e-commerce platform or store) was registered in the catalogue.")

    /// The enterprise's unified social credit code.
    public var creditCode: UnifiedSocialCreditCode
    /// Registered name.
    public var name: String
    /// Kind of business.
    public var kind: EnterpriseKind
    /// Division code of the registered address (six digits).
    public var regionCode: DivisionCode
    /// Registered business address (a company address, not personal data).
    public var address: String
    /// Whether the enterprise is a chain leader (链主) of its industrial chain.
    public var isChainLeader: Bool
    /// Industrial cluster it belongs to, if any.
    public var industrialCluster: String?
    /// When it was registered.
    public var registeredAt: Date
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
        registeredAt: Date,
        actorRole: ActorRole
    ) {
        self.creditCode = creditCode
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.address = address
        self.isChainLeader = isChainLeader
        self.industrialCluster = industrialCluster
        self.registeredAt = registeredAt
        self.actorRole = actorRole
    }

    public static var schema: JSONSchema {
        .object([
            .required("creditCode", .creditCode, "The enterprise's unified social credit code."),
            .required("name", .text(maxLength: 200), "Registered name."),
            .required("kind", .enumeration(EnterpriseKind.self), "Kind of business."),
            .required("regionCode", .divisionCode, "Division code of the registered address (six digits)."),
            .required("address", .text(maxLength: 300), "Registered business address (a company address, not personal data)."),
            .required("isChainLeader", .boolean, "Whether the enterprise is a chain leader (链主) of its industrial chain."),
            .optional("industrialCluster", .text(maxLength: 200), "Industrial cluster it belongs to, if any."),
            .required("registeredAt", .dateTime, "When it was registered."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
        ])
    }

    public static var example: EnterpriseRegistered {
        EnterpriseRegistered(
            creditCode: Example.creditCode("91330100MA2B7K3L5R"),
            name: "浙江绿筑新材料科技有限公司",
            kind: .manufacturer,
            regionCode: Example.division("330106"),
            address: "杭州市西湖区文三路 398 号",
            isChainLeader: true,
            industrialCluster: "杭州绿色建材产业集群",
            registeredAt: Example.time("2023-03-01T09:30:00Z"),
            actorRole: .enterprise
        )
    }
}
