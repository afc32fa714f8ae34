import Foundation

/// A programme's total budget changed.
///
/// Event type `gbm.subsidy.programme.budget-changed.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammeBudgetChanged: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.budget-changed.v1", topic: .subsidyProgrammes,
        summary: "A programme's total budget changed.")

    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Budget before, in fen.
    public var previousBudget: Fen
    /// Budget after, in fen.
    public var budget: Fen
    /// Why.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var changedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        previousBudget: Fen,
        budget: Fen,
        reason: String,
        actorRole: ActorRole,
        changedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.previousBudget = previousBudget
        self.budget = budget
        self.reason = reason
        self.actorRole = actorRole
        self.changedAt = changedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("previousBudget", .fen, "Budget before, in fen."),
            .required("budget", .fen, "Budget after, in fen."),
            .required("reason", .text(maxLength: 1000), "Why."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("changedAt", .dateTime, "When."),
        ])
    }

    public static var example: ProgrammeBudgetChanged {
        ProgrammeBudgetChanged(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            previousBudget: Fen(yuan: 20_000_000),
            budget: Fen(yuan: 30_000_000),
            reason: "追加省级财政资金",
            actorRole: .regionalOfficial,
            changedAt: Example.time("2023-09-01T02:00:00Z")
        )
    }
}
