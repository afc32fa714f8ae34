import Foundation

/// A loan interest subsidy (贷款贴息) was granted on a loan that financed green building materials; its schedule is fixed.
///
/// Event type `gbm.subsidy.loan-interest-subsidy.granted.v1` on topic `gbm.subsidy.loan-interest-subsidies.v1`; key: `subsidyID`.
public struct LoanInterestSubsidyGranted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.loan-interest-subsidy.granted.v1", topic: .subsidyLoanInterestSubsidies,
        summary: "A loan interest subsidy (贷款贴息) was granted on a loan that financed green building materials; its schedule is fixed.")

    /// The subsidy's id.
    public var subsidyID: String
    /// The loan-interest programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The buyer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// The lending bank.
    public var lender: String
    /// Loan principal, in fen.
    public var loanPrincipal: Fen
    /// Share of the loan spent on eligible green building materials, in basis points.
    public var eligibleShareBasisPoints: Int
    /// Principal the subsidy is computed on: the eligible share, at most the programme's maximum, in fen.
    public var subsidisedPrincipal: Fen
    /// Loan term in months.
    public var loanTermMonths: Int
    /// Repayment periods subsidised (at most the programme's maximum term).
    public var subsidisedMonths: Int
    /// Annual interest rate of the loan, in basis points.
    public var interestRateBasisPoints: Int
    /// Annual rate subsidised, in basis points (at most the loan's own rate).
    public var subsidyRateBasisPoints: Int
    /// Due day of the first monthly repayment.
    public var firstRepaymentOn: CalendarDate
    /// Total subsidy over the schedule, capped, in fen.
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
        eligibleShareBasisPoints: Int,
        subsidisedPrincipal: Fen,
        loanTermMonths: Int,
        subsidisedMonths: Int,
        interestRateBasisPoints: Int,
        subsidyRateBasisPoints: Int,
        firstRepaymentOn: CalendarDate,
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
        self.eligibleShareBasisPoints = eligibleShareBasisPoints
        self.subsidisedPrincipal = subsidisedPrincipal
        self.loanTermMonths = loanTermMonths
        self.subsidisedMonths = subsidisedMonths
        self.interestRateBasisPoints = interestRateBasisPoints
        self.subsidyRateBasisPoints = subsidyRateBasisPoints
        self.firstRepaymentOn = firstRepaymentOn
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
            .required("consumerRef", .consumerRef, "The buyer, as a keyed hash (never a name, phone or ID number)."),
            .required("lender", .text(maxLength: 200), "The lending bank."),
            .required("loanPrincipal", .fen, "Loan principal, in fen."),
            .required("eligibleShareBasisPoints", .integer(minimum: 1, maximum: 10_000), "Share of the loan spent on eligible green building materials, in basis points."),
            .required("subsidisedPrincipal", .fen, "Principal the subsidy is computed on: the eligible share, at most the programme's maximum, in fen."),
            .required("loanTermMonths", .integer(minimum: 1, maximum: 360), "Loan term in months."),
            .required("subsidisedMonths", .integer(minimum: 1, maximum: 360), "Repayment periods subsidised (at most the programme's maximum term)."),
            .required("interestRateBasisPoints", .basisPoints, "Annual interest rate of the loan, in basis points."),
            .required("subsidyRateBasisPoints", .basisPoints, "Annual rate subsidised, in basis points (at most the loan's own rate)."),
            .required("firstRepaymentOn", .date, "Due day of the first monthly repayment."),
            .required("grantedAmount", .fen, "Total subsidy over the schedule, capped, in fen."),
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
            loanPrincipal: Fen(20_000_000),
            eligibleShareBasisPoints: 6_000,
            subsidisedPrincipal: Fen(12_000_000),
            loanTermMonths: 36,
            subsidisedMonths: 36,
            interestRateBasisPoints: 420,
            subsidyRateBasisPoints: 150,
            firstRepaymentOn: Example.day("2023-09-01"),
            grantedAmount: Fen(277_500),
            certificateNumbers: [Example.certificate("CGBM-2023-SD-001234")],
            actorRole: .regionalOfficial,
            grantedAt: Example.time("2023-08-03T02:00:00Z")
        )
    }
}
