import Foundation

/// An approved claim was paid in full.
///
/// Event type `gbm.subsidy.claim.paid.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimPaid: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.paid.v1", topic: .subsidyClaims,
        summary: "An approved claim was paid in full.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// The payment that paid it.
    public var paymentID: String
    /// Amount paid, in fen.
    public var amount: Fen
    /// When.
    public var paidAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        paymentID: String,
        amount: Fen,
        paidAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.paymentID = paymentID
        self.amount = amount
        self.paidAt = paidAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("paymentID", .uuid, "The payment that paid it."),
            .required("amount", .fen, "Amount paid, in fen."),
            .required("paidAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimPaid {
        ClaimPaid(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            paymentID: "4b3a2f1e-0d9c-4b8a-8f7e-6d5c4b3a2f1e",
            amount: Fen(192_900),
            paidAt: Example.time("2023-07-20T06:00:00Z")
        )
    }
}
