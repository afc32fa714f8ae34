import Foundation

/// A consumer submitted a purchase subsidy claim for a certified (or locally listed) product.
///
/// Event type `gbm.subsidy.claim.submitted.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimSubmitted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.submitted.v1", topic: .subsidyClaims,
        summary: "A consumer submitted a purchase subsidy claim for a certified (or locally listed) product.")

    /// The claim's id.
    public var claimID: String
    /// The programme claimed under.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// The product's certificate (absent for a local-list product).
    public var certificateNumber: CertificateNumber?
    /// The region's local-list entry, for an uncertified product.
    public var localListEntryID: String?
    /// The seller.
    public var sellerCreditCode: UnifiedSocialCreditCode
    /// Number of the purchase invoice (发票号码).
    public var invoiceNumber: String
    /// Purchase date.
    public var purchasedOn: CalendarDate
    /// Price paid, in fen.
    public var purchaseAmount: Fen
    /// Subsidy requested, in fen (rate × price, capped).
    public var requestedAmount: Fen
    /// When it was submitted.
    public var submittedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        certificateNumber: CertificateNumber? = nil,
        localListEntryID: String? = nil,
        sellerCreditCode: UnifiedSocialCreditCode,
        invoiceNumber: String,
        purchasedOn: CalendarDate,
        purchaseAmount: Fen,
        requestedAmount: Fen,
        submittedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.certificateNumber = certificateNumber
        self.localListEntryID = localListEntryID
        self.sellerCreditCode = sellerCreditCode
        self.invoiceNumber = invoiceNumber
        self.purchasedOn = purchasedOn
        self.purchaseAmount = purchaseAmount
        self.requestedAmount = requestedAmount
        self.submittedAt = submittedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim's id."),
            .required("programmeID", .uuid, "The programme claimed under."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .optional("certificateNumber", .certificateNumber, "The product's certificate (absent for a local-list product)."),
            .optional("localListEntryID", .uuid, "The region's local-list entry, for an uncertified product."),
            .required("sellerCreditCode", .creditCode, "The seller."),
            .required("invoiceNumber", .string(pattern: "^[0-9]{8,20}$"), "Number of the purchase invoice (发票号码)."),
            .required("purchasedOn", .date, "Purchase date."),
            .required("purchaseAmount", .fen, "Price paid, in fen."),
            .required("requestedAmount", .fen, "Subsidy requested, in fen (rate × price, capped)."),
            .required("submittedAt", .dateTime, "When it was submitted."),
        ])
    }

    public static var example: ClaimSubmitted {
        ClaimSubmitted(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            localListEntryID: "6f1d2c3b-4a59-4e8d-8c7b-1f2e3d4c5b6a",
            sellerCreditCode: Example.creditCode("91330000MA27U0XR18"),
            invoiceNumber: "23332000000012345678",
            purchasedOn: Example.day("2023-07-08"),
            purchaseAmount: Fen(1_286_000),
            requestedAmount: Fen(192_900),
            submittedAt: Example.time("2023-07-09T05:00:00Z")
        )
    }
}
