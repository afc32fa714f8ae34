import Foundation

/// An approved claim was not paid within 15 working days.
///
/// Event type `gbm.subsidy.claim.payment-overdue.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimPaymentOverdue: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.payment-overdue.v1", topic: .subsidyClaims,
        summary: "An approved claim was not paid within 15 working days.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Amount approved and unpaid, in fen.
    public var amount: Fen
    /// Day it was approved.
    public var approvedOn: CalendarDate
    /// Last day it should have been paid.
    public var paymentDueOn: CalendarDate
    /// When the service noticed.
    public var detectedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        amount: Fen,
        approvedOn: CalendarDate,
        paymentDueOn: CalendarDate,
        detectedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.amount = amount
        self.approvedOn = approvedOn
        self.paymentDueOn = paymentDueOn
        self.detectedAt = detectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("amount", .fen, "Amount approved and unpaid, in fen."),
            .required("approvedOn", .date, "Day it was approved."),
            .required("paymentDueOn", .date, "Last day it should have been paid."),
            .required("detectedAt", .dateTime, "When the service noticed."),
        ])
    }

    public static var example: ClaimPaymentOverdue {
        ClaimPaymentOverdue(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            amount: Fen(192_900),
            approvedOn: Example.day("2023-07-12"),
            paymentDueOn: Example.day("2023-08-02"),
            detectedAt: Example.time("2023-08-03T01:00:00Z")
        )
    }
}
