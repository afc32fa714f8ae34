import Foundation

/// A seller (at the point of sale) or a buyer submitted a purchase subsidy claim.
///
/// Event type `gbm.subsidy.claim.submitted.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimSubmitted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.submitted.v1", topic: .subsidyClaims,
        summary: "A seller (at the point of sale) or a buyer submitted a purchase subsidy claim.")

    /// The claim's id.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The buyer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// The household, as a keyed hash of its identifier.
    public var householdRef: ConsumerRef
    /// The seller.
    public var sellerCreditCode: UnifiedSocialCreditCode
    /// Who submitted it: the seller (enterprise) or the buyer (consumer).
    public var submitterRole: ActorRole
    /// Invoice code (发票代码), absent on a fully digital invoice.
    public var invoiceCode: String?
    /// Invoice number (发票号码).
    public var invoiceNumber: String
    /// Invoice (purchase) date.
    public var purchasedOn: CalendarDate
    /// What was bought and what each line earns.
    public var lines: [ClaimLine]
    /// Total price of the lines, in fen.
    public var purchaseAmount: Fen
    /// Subsidy the lines earn under the programme's terms, in fen.
    public var requestedAmount: Fen
    /// When it was submitted.
    public var submittedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        householdRef: ConsumerRef,
        sellerCreditCode: UnifiedSocialCreditCode,
        submitterRole: ActorRole,
        invoiceCode: String? = nil,
        invoiceNumber: String,
        purchasedOn: CalendarDate,
        lines: [ClaimLine],
        purchaseAmount: Fen,
        requestedAmount: Fen,
        submittedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.householdRef = householdRef
        self.sellerCreditCode = sellerCreditCode
        self.submitterRole = submitterRole
        self.invoiceCode = invoiceCode
        self.invoiceNumber = invoiceNumber
        self.purchasedOn = purchasedOn
        self.lines = lines
        self.purchaseAmount = purchaseAmount
        self.requestedAmount = requestedAmount
        self.submittedAt = submittedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim's id."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The buyer, as a keyed hash (never a name, phone or ID number)."),
            .required("householdRef", .consumerRef, "The household, as a keyed hash of its identifier."),
            .required("sellerCreditCode", .creditCode, "The seller."),
            .required("submitterRole", .enumeration(ActorRole.self), "Who submitted it: the seller (enterprise) or the buyer (consumer)."),
            .optional("invoiceCode", .string(pattern: "^[0-9]{10,12}$"), "Invoice code (发票代码), absent on a fully digital invoice."),
            .required("invoiceNumber", .string(pattern: "^[0-9]{8,20}$"), "Invoice number (发票号码)."),
            .required("purchasedOn", .date, "Invoice (purchase) date."),
            .required("lines", .array(of: ClaimLine.schema, minItems: 1), "What was bought and what each line earns."),
            .required("purchaseAmount", .fen, "Total price of the lines, in fen."),
            .required("requestedAmount", .fen, "Subsidy the lines earn under the programme's terms, in fen."),
            .required("submittedAt", .dateTime, "When it was submitted."),
        ])
    }

    public static var example: ClaimSubmitted {
        ClaimSubmitted(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            householdRef: ConsumerRef(rawValue: "a1c3e5f7092b4d6e8f0a1c3e5b7d9f13f9a1c5e7b2d4f6081a3c5e7092b4d6f8")!,
            sellerCreditCode: Example.creditCode("91330000MA27U0XR18"),
            submitterRole: .enterprise,
            invoiceCode: "033002300111",
            invoiceNumber: "23332000000012345678",
            purchasedOn: Example.day("2023-07-08"),
            lines: [ClaimLine(certificateNumber: Example.certificate("CGBM-2023-SD-001234"), localListEntryID: "6f1d2c3b-4a59-4e8d-8c7b-1f2e3d4c5b6a", quantity: 2, unitPrice: Fen(643_000), subsidyAmount: Fen(192_900))],
            purchaseAmount: Fen(1_286_000),
            requestedAmount: Fen(192_900),
            submittedAt: Example.time("2023-07-09T05:00:00Z")
        )
    }
}
