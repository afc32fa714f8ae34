import Foundation

/// A subsidy claim was held for review by fraud and anomaly rules; its amount stays reserved until reviewers decide.
///
/// Event type `gbm.subsidy.claim.held.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimHeld: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.held.v1", topic: .subsidyClaims,
        summary: "A subsidy claim was held for review by fraud and anomaly rules; its amount stays reserved until reviewers decide.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The buyer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Every rule that held it.
    public var rules: [ClaimHoldRule]
    /// Amount reserved for it, in fen.
    public var reservedAmount: Fen
    /// How many distinct reviewers must approve it.
    public var reviewsRequired: Int
    /// ce_id of the event that held it (a certificate suspended or revoked), if any.
    public var triggeringEventID: String?
    /// When.
    public var heldAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        rules: [ClaimHoldRule],
        reservedAmount: Fen,
        reviewsRequired: Int,
        triggeringEventID: String? = nil,
        heldAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.rules = rules
        self.reservedAmount = reservedAmount
        self.reviewsRequired = reviewsRequired
        self.triggeringEventID = triggeringEventID
        self.heldAt = heldAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The buyer, as a keyed hash (never a name, phone or ID number)."),
            .required("rules", .array(of: .enumeration(ClaimHoldRule.self), minItems: 1, uniqueItems: true), "Every rule that held it."),
            .required("reservedAmount", .fen, "Amount reserved for it, in fen."),
            .required("reviewsRequired", .integer(minimum: 1, maximum: 2), "How many distinct reviewers must approve it."),
            .optional("triggeringEventID", .text(maxLength: 100), "ce_id of the event that held it (a certificate suspended or revoked), if any."),
            .required("heldAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimHeld {
        ClaimHeld(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            rules: [.repeatBuyer, .sharedBankAccount],
            reservedAmount: Fen(192_900),
            reviewsRequired: 1,
            triggeringEventID: "c0ffee00-1234-4abc-8def-0123456789ab",
            heldAt: Example.time("2023-07-09T05:00:00Z")
        )
    }
}
