import Foundation

/// A paid subsidy was clawed back (for example the certificate was revoked for a violation before the purchase).
///
/// Event type `gbm.subsidy.claim.clawed-back.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimClawedBack: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.clawed-back.v1", topic: .subsidyClaims,
        summary: "A paid subsidy was clawed back (for example the certificate was revoked for a violation before the purchase).")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Amount to recover, in fen.
    public var amount: Fen
    /// Why.
    public var reason: String
    /// ce_id of the event that caused the clawback, if any.
    public var triggeringEventID: String?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var clawedBackAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        amount: Fen,
        reason: String,
        triggeringEventID: String? = nil,
        actorRole: ActorRole,
        clawedBackAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.amount = amount
        self.reason = reason
        self.triggeringEventID = triggeringEventID
        self.actorRole = actorRole
        self.clawedBackAt = clawedBackAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("amount", .fen, "Amount to recover, in fen."),
            .required("reason", .text(maxLength: 1000), "Why."),
            .optional("triggeringEventID", .text(maxLength: 100), "ce_id of the event that caused the clawback, if any."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("clawedBackAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimClawedBack {
        ClaimClawedBack(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            amount: Fen(192_900),
            reason: "证书被撤销，购买时产品不符合认证要求",
            triggeringEventID: "c0ffee00-1234-4abc-8def-0123456789ab",
            actorRole: .regionalOfficial,
            clawedBackAt: Example.time("2023-10-25T02:00:00Z")
        )
    }
}
