import Foundation

/// A region published a subsidy programme: kind, rate, caps, budget, period and eligible grades.
///
/// Event type `gbm.subsidy.programme.published.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammePublished: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.published.v1", topic: .subsidyProgrammes,
        summary: "A region published a subsidy programme: kind, rate, caps, budget, period and eligible grades.")

    /// The programme's id.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Name.
    public var name: String
    /// Purchase or loan-interest subsidy.
    public var kind: SubsidyKind
    /// Subsidy rate in basis points of the price or interest (1 500 = 15 %).
    public var rateBasisPoints: Int
    /// Most paid for one claim, in fen.
    public var capPerClaim: Fen
    /// Most paid to one consumer over the programme, in fen.
    public var capPerConsumer: Fen
    /// Total budget, in fen.
    public var budget: Fen
    /// First eligible purchase date.
    public var startsOn: CalendarDate
    /// Last eligible purchase date.
    public var endsOn: CalendarDate
    /// Star grades that qualify.
    public var eligibleGrades: [StarGrade]
    /// Classes that qualify; absent means all.
    public var eligibleCategories: [ProductCategory]?
    /// Whether uncertified products on the region's local list qualify.
    public var includesLocalList: Bool
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When it was published.
    public var publishedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        name: String,
        kind: SubsidyKind,
        rateBasisPoints: Int,
        capPerClaim: Fen,
        capPerConsumer: Fen,
        budget: Fen,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        eligibleGrades: [StarGrade],
        eligibleCategories: [ProductCategory]? = nil,
        includesLocalList: Bool,
        actorRole: ActorRole,
        publishedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.name = name
        self.kind = kind
        self.rateBasisPoints = rateBasisPoints
        self.capPerClaim = capPerClaim
        self.capPerConsumer = capPerConsumer
        self.budget = budget
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.eligibleGrades = eligibleGrades
        self.eligibleCategories = eligibleCategories
        self.includesLocalList = includesLocalList
        self.actorRole = actorRole
        self.publishedAt = publishedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("name", .text(maxLength: 200), "Name."),
            .required("kind", .enumeration(SubsidyKind.self), "Purchase or loan-interest subsidy."),
            .required("rateBasisPoints", .basisPoints, "Subsidy rate in basis points of the price or interest (1 500 = 15 %)."),
            .required("capPerClaim", .fen, "Most paid for one claim, in fen."),
            .required("capPerConsumer", .fen, "Most paid to one consumer over the programme, in fen."),
            .required("budget", .fen, "Total budget, in fen."),
            .required("startsOn", .date, "First eligible purchase date."),
            .required("endsOn", .date, "Last eligible purchase date."),
            .required("eligibleGrades", .array(of: .enumeration(StarGrade.self), minItems: 1, uniqueItems: true), "Star grades that qualify."),
            .optional("eligibleCategories", .array(of: .enumeration(ProductCategory.self), minItems: 1, uniqueItems: true), "Classes that qualify; absent means all."),
            .required("includesLocalList", .boolean, "Whether uncertified products on the region's local list qualify."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("publishedAt", .dateTime, "When it was published."),
        ])
    }

    public static var example: ProgrammePublished {
        ProgrammePublished(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            name: "浙江省2023年绿色建材下乡购置补贴",
            kind: .purchase,
            rateBasisPoints: 1_500,
            capPerClaim: Fen(yuan: 5_000),
            capPerConsumer: Fen(yuan: 20_000),
            budget: Fen(yuan: 20_000_000),
            startsOn: Example.day("2023-06-01"),
            endsOn: Example.day("2023-12-31"),
            eligibleGrades: [.twoStar, .threeStar],
            eligibleCategories: [.enclosureStructuresAndConcrete, .windowsCurtainWallsAndDecoration],
            includesLocalList: true,
            actorRole: .regionalOfficial,
            publishedAt: Example.time("2023-05-25T02:00:00Z")
        )
    }
}
