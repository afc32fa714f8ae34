import Foundation

/// A pilot region published (or changed) how consumers complain there; key: the region's division code.
///
/// Event type `gbm.complaints.channels.published.v1` on topic `gbm.complaints.complaints.v1`; key: `regionCode`.
public struct ComplaintChannelsPublished: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.channels.published.v1", topic: .complaintsComplaints,
        summary: "A pilot region published (or changed) how consumers complain there; key: the region's division code.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The region's complaint hotline.
    public var hotline: String
    /// Whether 12315 complaints are handed over to the region.
    public var handover12315: Bool
    /// The online complaint address.
    public var onlineAddress: String?
    /// The office that takes complaints in person.
    public var officeAddress: String?
    /// Its opening hours.
    public var officeHours: String?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var publishedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        hotline: String,
        handover12315: Bool,
        onlineAddress: String? = nil,
        officeAddress: String? = nil,
        officeHours: String? = nil,
        actorRole: ActorRole,
        publishedAt: Date
    ) {
        self.regionCode = regionCode
        self.hotline = hotline
        self.handover12315 = handover12315
        self.onlineAddress = onlineAddress
        self.officeAddress = officeAddress
        self.officeHours = officeHours
        self.actorRole = actorRole
        self.publishedAt = publishedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("hotline", .text(maxLength: 50), "The region's complaint hotline."),
            .required("handover12315", .boolean, "Whether 12315 complaints are handed over to the region."),
            .optional("onlineAddress", .text(maxLength: 500), "The online complaint address."),
            .optional("officeAddress", .text(maxLength: 500), "The office that takes complaints in person."),
            .optional("officeHours", .text(maxLength: 200), "Its opening hours."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("publishedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintChannelsPublished {
        ComplaintChannelsPublished(
            regionCode: Example.division("330106"),
            hotline: "0571-12345",
            handover12315: true,
            onlineAddress: "https://12315.zj.gov.cn/gbm",
            officeAddress: "杭州市西湖区文三路1号",
            officeHours: "工作日 9:00-17:00",
            actorRole: .marketRegulator,
            publishedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
