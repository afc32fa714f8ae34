import Foundation

/// An approved subsidy programme opened: claims are accepted.
///
/// Event type `gbm.subsidy.programme.opened.v1` on topic `gbm.subsidy.programmes.v1`; key: `programmeID`.
public struct ProgrammeOpened: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.programme.opened.v1", topic: .subsidyProgrammes,
        summary: "An approved subsidy programme opened: claims are accepted.")

    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var openedAt: Date

    public var aggregateID: String { programmeID }

    public init(
        programmeID: String,
        regionCode: DivisionCode,
        actorRole: ActorRole,
        openedAt: Date
    ) {
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.actorRole = actorRole
        self.openedAt = openedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("openedAt", .dateTime, "When."),
        ])
    }

    public static var example: ProgrammeOpened {
        ProgrammeOpened(
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            actorRole: .regionalOfficial,
            openedAt: Example.time("2023-06-01T00:00:00Z")
        )
    }
}
