import Foundation

/// A subsidy claim was approved: the amount is reserved in the programme's budget and must be paid within 15 working days.
///
/// Event type `gbm.subsidy.claim.approved.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimApproved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.approved.v1", topic: .subsidyClaims,
        summary: "A subsidy claim was approved: the amount is reserved in the programme's budget and must be paid within 15 working days.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The buyer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Amount approved and reserved, in fen.
    public var approvedAmount: Fen
    /// Last day to pay it (15 working days after approval).
    public var paymentDueOn: CalendarDate
    /// Whether reviewers approved it after a hold.
    public var afterReview: Bool
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
        paymentDueOn: CalendarDate,
        afterReview: Bool,
        actorRole: ActorRole,
        approvedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.approvedAmount = approvedAmount
        self.paymentDueOn = paymentDueOn
        self.afterReview = afterReview
        self.actorRole = actorRole
        self.approvedAt = approvedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The buyer, as a keyed hash (never a name, phone or ID number)."),
            .required("approvedAmount", .fen, "Amount approved and reserved, in fen."),
            .required("paymentDueOn", .date, "Last day to pay it (15 working days after approval)."),
            .required("afterReview", .boolean, "Whether reviewers approved it after a hold."),
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
            paymentDueOn: Example.day("2023-08-02"),
            afterReview: false,
            actorRole: .system,
            approvedAt: Example.time("2023-07-12T02:00:00Z")
        )
    }
}
