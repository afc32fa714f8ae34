import Foundation

/// A subsidy claim was approved; the amount is committed from the programme's budget.
///
/// Event type `gbm.subsidy.claim.approved.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimApproved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.approved.v1", topic: .subsidyClaims,
        summary: "A subsidy claim was approved; the amount is committed from the programme's budget.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Amount approved, in fen.
    public var approvedAmount: Fen
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var approvedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        approvedAmount: Fen,
        actorRole: ActorRole,
        approvedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.approvedAmount = approvedAmount
        self.actorRole = actorRole
        self.approvedAt = approvedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("approvedAmount", .fen, "Amount approved, in fen."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("approvedAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimApproved {
        ClaimApproved(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            approvedAmount: Fen(192_900),
            actorRole: .regionalOfficial,
            approvedAt: Example.time("2023-07-12T02:00:00Z")
        )
    }
}
