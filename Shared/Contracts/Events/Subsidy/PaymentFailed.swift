import Foundation

/// A subsidy payment attempt failed.
///
/// Event type `gbm.subsidy.payment.failed.v1` on topic `gbm.subsidy.payments.v1`; key: `paymentID`.
public struct PaymentFailed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.payment.failed.v1", topic: .subsidyPayments,
        summary: "A subsidy payment attempt failed.")

    /// The payment.
    public var paymentID: String
    /// What it pays.
    public var purpose: PaymentPurpose
    /// The claim or loan-interest subsidy.
    public var referenceID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Amount, in fen.
    public var amount: Fen
    /// Which attempt failed (1 for the first).
    public var attempt: Int
    /// Whether another attempt is scheduled.
    public var willRetry: Bool
    /// The bank's reason.
    public var failureReason: String
    /// When.
    public var failedAt: Date

    public var aggregateID: String { paymentID }

    public init(
        paymentID: String,
        purpose: PaymentPurpose,
        referenceID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        amount: Fen,
        attempt: Int,
        willRetry: Bool,
        failureReason: String,
        failedAt: Date
    ) {
        self.paymentID = paymentID
        self.purpose = purpose
        self.referenceID = referenceID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.amount = amount
        self.attempt = attempt
        self.willRetry = willRetry
        self.failureReason = failureReason
        self.failedAt = failedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("paymentID", .uuid, "The payment."),
            .required("purpose", .enumeration(PaymentPurpose.self), "What it pays."),
            .required("referenceID", .uuid, "The claim or loan-interest subsidy."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("amount", .fen, "Amount, in fen."),
            .required("attempt", .integer(minimum: 1), "Which attempt failed (1 for the first)."),
            .required("willRetry", .boolean, "Whether another attempt is scheduled."),
            .required("failureReason", .text(maxLength: 500), "The bank's reason."),
            .required("failedAt", .dateTime, "When."),
        ])
    }

    public static var example: PaymentFailed {
        PaymentFailed(
            paymentID: "4b3a2f1e-0d9c-4b8a-8f7e-6d5c4b3a2f1e",
            purpose: .purchaseSubsidy,
            referenceID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            amount: Fen(192_900),
            attempt: 1,
            willRetry: true,
            failureReason: "收款账户状态异常",
            failedAt: Example.time("2023-07-19T06:00:00Z")
        )
    }
}
