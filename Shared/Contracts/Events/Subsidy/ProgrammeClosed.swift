import Foundation

/// A programme closed: no further claims are accepted.
///
/// Event type `gbm.subsidy.programme.closed.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammeClosed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.closed.v1", topic: .subsidyProgrammes,
        summary: "A programme closed: no further claims are accepted.")

    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Last day claims were accepted.
    public var closedOn: CalendarDate
    /// Budget committed to approved claims, in fen.
    public var committed: Fen
    /// Amount paid out, in fen.
    public var paid: Fen
    /// Why it closed.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var closedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        closedOn: CalendarDate,
        committed: Fen,
        paid: Fen,
        reason: String,
        actorRole: ActorRole,
        closedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.closedOn = closedOn
        self.committed = committed
        self.paid = paid
        self.reason = reason
        self.actorRole = actorRole
        self.closedAt = closedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("closedOn", .date, "Last day claims were accepted."),
            .required("committed", .fen, "Budget committed to approved claims, in fen."),
            .required("paid", .fen, "Amount paid out, in fen."),
            .required("reason", .text(maxLength: 1000), "Why it closed."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("closedAt", .dateTime, "When."),
        ])
    }

    public static var example: ProgrammeClosed {
        ProgrammeClosed(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            closedOn: Example.day("2023-12-31"),
            committed: Fen(yuan: 29_875_000),
            paid: Fen(yuan: 29_410_500),
            reason: "活动期结束",
            actorRole: .system,
            closedAt: Example.time("2023-12-31T16:00:00Z")
        )
    }
}
