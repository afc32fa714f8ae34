import Foundation

/// A subsidy payment was made to a consumer.
///
/// Event type `gbm.subsidy.payment.made.v1` on topic `gbm.subsidy.payments.v1`; key: `paymentID`.
public struct PaymentMade: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.payment.made.v1", topic: .subsidyPayments,
        summary: "A subsidy payment was made to a consumer.")

    /// The payment's id.
    public var paymentID: String
    /// What it pays.
    public var purpose: PaymentPurpose
    /// The claim or loan-interest subsidy paid.
    public var referenceID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Amount, in fen.
    public var amount: Fen
    /// The bank's transaction reference.
    public var bankReference: String
    /// When the bank confirmed it.
    public var paidAt: Date

    public var aggregateID: String { paymentID }

    public init(
        paymentID: String,
        purpose: PaymentPurpose,
        referenceID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        amount: Fen,
        bankReference: String,
        paidAt: Date
    ) {
        self.paymentID = paymentID
        self.purpose = purpose
        self.referenceID = referenceID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.amount = amount
        self.bankReference = bankReference
        self.paidAt = paidAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("paymentID", .uuid, "The payment's id."),
            .required("purpose", .enumeration(PaymentPurpose.self), "What it pays."),
            .required("referenceID", .uuid, "The claim or loan-interest subsidy paid."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("amount", .fen, "Amount, in fen."),
            .required("bankReference", .text(maxLength: 100), "The bank's transaction reference."),
            .required("paidAt", .dateTime, "When the bank confirmed it."),
        ])
    }

    public static var example: PaymentMade {
        PaymentMade(
            paymentID: "4b3a2f1e-0d9c-4b8a-8f7e-6d5c4b3a2f1e",
            purpose: .purchaseSubsidy,
            referenceID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            amount: Fen(192_900),
            bankReference: "ZJRCB20230720000192",
            paidAt: Example.time("2023-07-20T06:00:00Z")
        )
    }
}
