import Foundation

/// A loan interest subsidy (贷款贴息) was granted on a consumer loan for green building materials.
///
/// Event type `gbm.subsidy.loan-interest-subsidy.granted.v1` on topic `gbm.subsidy.loan-interest-subsidies.v1`; key: `subsidyID`.
public struct LoanInterestSubsidyGranted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.loan-interest-subsidy.granted.v1", topic: .subsidyLoanInterestSubsidies,
        summary: "A loan interest subsidy (贷款贴息) was granted on a consumer loan for green building materials.")

    /// The subsidy's id.
    public var subsidyID: String
    /// The loan-interest programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// The lending bank.
    public var lender: String
    /// Loan principal, in fen.
    public var loanPrincipal: Fen
    /// Loan term in months.
    public var loanTermMonths: Int
    /// Annual interest rate of the loan, in basis points.
    public var interestRateBasisPoints: Int
    /// Share of the interest subsidised, in basis points of the interest.
    public var subsidyRateBasisPoints: Int
    /// Total subsidy granted, in fen.
    public var grantedAmount: Fen
    /// Certificates of the products financed.
    public var certificateNumbers: [CertificateNumber]
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var grantedAt: Date

    public var aggregateID: String { subsidyID }

    public init(
        subsidyID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        lender: String,
        loanPrincipal: Fen,
        loanTermMonths: Int,
        interestRateBasisPoints: Int,
        subsidyRateBasisPoints: Int,
        grantedAmount: Fen,
        certificateNumbers: [CertificateNumber],
        actorRole: ActorRole,
        grantedAt: Date
    ) {
        self.subsidyID = subsidyID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.lender = lender
        self.loanPrincipal = loanPrincipal
        self.loanTermMonths = loanTermMonths
        self.interestRateBasisPoints = interestRateBasisPoints
        self.subsidyRateBasisPoints = subsidyRateBasisPoints
        self.grantedAmount = grantedAmount
        self.certificateNumbers = certificateNumbers
        self.actorRole = actorRole
        self.grantedAt = grantedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("subsidyID", .uuid, "The subsidy's id."),
            .required("programmeID", .uuid, "The loan-interest programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("lender", .text(maxLength: 200), "The lending bank."),
            .required("loanPrincipal", .fen, "Loan principal, in fen."),
            .required("loanTermMonths", .integer(minimum: 1, maximum: 360), "Loan term in months."),
            .required("interestRateBasisPoints", .basisPoints, "Annual interest rate of the loan, in basis points."),
            .required("subsidyRateBasisPoints", .basisPoints, "Share of the interest subsidised, in basis points of the interest."),
            .required("grantedAmount", .fen, "Total subsidy granted, in fen."),
            .required("certificateNumbers", .array(of: .certificateNumber, minItems: 1, uniqueItems: true), "Certificates of the products financed."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("grantedAt", .dateTime, "When."),
        ])
    }

    public static var example: LoanInterestSubsidyGranted {
        LoanInterestSubsidyGranted(
            subsidyID: "1d0c9b8a-7f6e-4d5c-8b4a-3f2e1d0c9b8a",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            lender: "浙江农村商业银行",
            loanPrincipal: Fen(yuan: 200_000),
            loanTermMonths: 36,
            interestRateBasisPoints: 420,
            subsidyRateBasisPoints: 5_000,
            grantedAmount: Fen(1_260_000),
            certificateNumbers: [Example.certificate("CGBM-2023-SD-001234")],
            actorRole: .regionalOfficial,
            grantedAt: Example.time("2023-08-03T02:00:00Z")
        )
    }
}
