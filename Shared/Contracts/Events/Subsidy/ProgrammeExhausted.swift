import Foundation

/// A programme's budget is used up: claims are refused until it is topped up.
///
/// Event type `gbm.subsidy.programme.exhausted.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammeExhausted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.exhausted.v1", topic: .subsidyProgrammes,
        summary: "A programme's budget is used up: claims are refused until it is topped up.")

    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The budget, in fen.
    public var budget: Fen
    /// Reserved and paid, in fen (equal to the budget).
    public var committed: Fen
    /// When.
    public var exhaustedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        budget: Fen,
        committed: Fen,
        exhaustedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.budget = budget
        self.committed = committed
        self.exhaustedAt = exhaustedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("budget", .fen, "The budget, in fen."),
            .required("committed", .fen, "Reserved and paid, in fen (equal to the budget)."),
            .required("exhaustedAt", .dateTime, "When."),
        ])
    }

    public static var example: ProgrammeExhausted {
        ProgrammeExhausted(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            budget: Fen(5_000_000_000),
            committed: Fen(5_000_000_000),
            exhaustedAt: Example.time("2023-10-02T03:00:00Z")
        )
    }
}
