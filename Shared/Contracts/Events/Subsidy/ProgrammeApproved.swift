import Foundation

/// A subsidy programme's terms were approved: kind, period, budget, funding shares and what it pays.
///
/// Event type `gbm.subsidy.programme.approved.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammeApproved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.approved.v1", topic: .subsidyProgrammes,
        summary: "A subsidy programme's terms were approved: kind, period, budget, funding shares and what it pays.")

    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Name.
    public var name: String
    /// Purchase or loan-interest subsidy.
    public var kind: SubsidyKind
    /// First eligible purchase (or loan) date.
    public var startsOn: CalendarDate
    /// Last eligible purchase (or loan) date.
    public var endsOn: CalendarDate
    /// Total budget, in fen.
    public var budget: Fen
    /// Who funds it; the shares add up to 10 000 basis points.
    public var fundingShares: [FundingShare]
    /// How a rate applied to a price is rounded to the fen.
    public var rounding: RoundingRule
    /// Claims above this amount need two reviewers, in fen.
    public var reviewThreshold: Fen
    /// What a purchase subsidy pays (kind purchase).
    public var purchaseTerms: PurchaseSubsidyTerms?
    /// What a loan interest subsidy pays (kind loan-interest).
    public var loanTerms: LoanInterestTerms?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var approvedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        name: String,
        kind: SubsidyKind,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        budget: Fen,
        fundingShares: [FundingShare],
        rounding: RoundingRule,
        reviewThreshold: Fen,
        purchaseTerms: PurchaseSubsidyTerms? = nil,
        loanTerms: LoanInterestTerms? = nil,
        actorRole: ActorRole,
        approvedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.name = name
        self.kind = kind
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.budget = budget
        self.fundingShares = fundingShares
        self.rounding = rounding
        self.reviewThreshold = reviewThreshold
        self.purchaseTerms = purchaseTerms
        self.loanTerms = loanTerms
        self.actorRole = actorRole
        self.approvedAt = approvedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("name", .text(maxLength: 200), "Name."),
            .required("kind", .enumeration(SubsidyKind.self), "Purchase or loan-interest subsidy."),
            .required("startsOn", .date, "First eligible purchase (or loan) date."),
            .required("endsOn", .date, "Last eligible purchase (or loan) date."),
            .required("budget", .fen, "Total budget, in fen."),
            .required("fundingShares", .array(of: FundingShare.schema, minItems: 1), "Who funds it; the shares add up to 10 000 basis points."),
            .required("rounding", .enumeration(RoundingRule.self), "How a rate applied to a price is rounded to the fen."),
            .required("reviewThreshold", .fen, "Claims above this amount need two reviewers, in fen."),
            .optional("purchaseTerms", PurchaseSubsidyTerms.schema, "What a purchase subsidy pays (kind purchase)."),
            .optional("loanTerms", LoanInterestTerms.schema, "What a loan interest subsidy pays (kind loan-interest)."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("approvedAt", .dateTime, "When."),
        ])
    }

    public static var example: ProgrammeApproved {
        ProgrammeApproved(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            name: "2023 年浙江省绿色建材下乡消费补贴",
            kind: .purchase,
            startsOn: Example.day("2023-06-01"),
            endsOn: Example.day("2023-12-31"),
            budget: Fen(5_000_000_000),
            fundingShares: [FundingShare(level: .central, basisPoints: 8_000), FundingShare(level: .provincial, basisPoints: 2_000)],
            rounding: .halfUp,
            reviewThreshold: Fen(500_000),
            purchaseTerms: PurchaseSubsidyTerms(gradeRates: [GradeRate(starGrade: .threeStar, rateBasisPoints: 1_500), GradeRate(starGrade: .twoStar, rateBasisPoints: 1_200), GradeRate(starGrade: .oneStar, rateBasisPoints: 1_000)], localListRateBasisPoints: 800, requiresLocalList: false, eligibleCategories: [.enclosureStructuresAndConcrete, .windowsCurtainWallsAndDecoration], capPerItem: Fen(200_000), fixedAmountPriceThreshold: Fen(2_000_000), fixedAmount: Fen(200_000), priceCeiling: Fen(5_000_000), householdCapCount: 3, householdCapAmount: Fen(500_000)),
            loanTerms: LoanInterestTerms(subsidyRateBasisPoints: 150, maxPrincipal: Fen(30_000_000), maxTermMonths: 60, capPerLoan: Fen(1_000_000)),
            actorRole: .ministryOfficial,
            approvedAt: Example.time("2023-05-20T02:00:00Z")
        )
    }
}
