import Foundation

/// An enterprise, e-commerce platform or store enrolled in a pilot region's campaign.
///
/// Event type `gbm.pilot.participant.enrolled.v1` on topic `gbm.pilot.participants.v1`; key: `participantID`.
public struct ParticipantEnrolled: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.participant.enrolled.v1", topic: .pilotParticipants,
        summary: "An enterprise, e-commerce platform or store enrolled in a pilot region's campaign.")

    /// The enrolment's id.
    public var participantID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The participant's unified social credit code.
    public var creditCode: UnifiedSocialCreditCode
    /// Its name.
    public var name: String
    /// Kind of participant.
    public var kind: EnterpriseKind
    /// Its green building materials sales zone (销售专区): where or which online page.
    public var salesZone: String?
    /// Pledged discount (让利) in basis points of the price (500 = 5 %).
    public var pledgedDiscountBasisPoints: Int
    /// Whether it is a chain leader (链主) enterprise in the region.
    public var isChainLeader: Bool
    /// Industrial cluster it belongs to, if any.
    public var industrialCluster: String?
    /// When it enrolled.
    public var enrolledAt: Date

    public var aggregateID: String { participantID }

    public init(
        participantID: String,
        regionCode: DivisionCode,
        creditCode: UnifiedSocialCreditCode,
        name: String,
        kind: EnterpriseKind,
        salesZone: String? = nil,
        pledgedDiscountBasisPoints: Int,
        isChainLeader: Bool,
        industrialCluster: String? = nil,
        enrolledAt: Date
    ) {
        self.participantID = participantID
        self.regionCode = regionCode
        self.creditCode = creditCode
        self.name = name
        self.kind = kind
        self.salesZone = salesZone
        self.pledgedDiscountBasisPoints = pledgedDiscountBasisPoints
        self.isChainLeader = isChainLeader
        self.industrialCluster = industrialCluster
        self.enrolledAt = enrolledAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("participantID", .uuid, "The enrolment's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("creditCode", .creditCode, "The participant's unified social credit code."),
            .required("name", .text(maxLength: 200), "Its name."),
            .required("kind", .enumeration(EnterpriseKind.self), "Kind of participant."),
            .optional("salesZone", .text(maxLength: 500), "Its green building materials sales zone (销售专区): where or which online page."),
            .required("pledgedDiscountBasisPoints", .basisPoints, "Pledged discount (让利) in basis points of the price (500 = 5 %)."),
            .required("isChainLeader", .boolean, "Whether it is a chain leader (链主) enterprise in the region."),
            .optional("industrialCluster", .text(maxLength: 200), "Industrial cluster it belongs to, if any."),
            .required("enrolledAt", .dateTime, "When it enrolled."),
        ])
    }

    public static var example: ParticipantEnrolled {
        ParticipantEnrolled(
            participantID: "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c",
            regionCode: Example.division("330000"),
            creditCode: Example.creditCode("91330000MA27U0XR18"),
            name: "浙江家居建材连锁有限公司",
            kind: .store,
            salesZone: "杭州城西店二楼绿色建材专区",
            pledgedDiscountBasisPoints: 500,
            isChainLeader: false,
            industrialCluster: "杭州绿色建材产业集群",
            enrolledAt: Example.time("2023-05-22T03:00:00Z")
        )
    }
}
