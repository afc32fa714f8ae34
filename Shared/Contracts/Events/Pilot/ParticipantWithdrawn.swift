import Foundation

/// A participant withdrew (or was withdrawn) from a pilot region's campaign.
///
/// Event type `gbm.pilot.participant.withdrawn.v1` on topic `gbm.pilot.participants.v1`; key: `participantID`.
public struct ParticipantWithdrawn: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.participant.withdrawn.v1", topic: .pilotParticipants,
        summary: "A participant withdrew (or was withdrawn) from a pilot region's campaign.")

    /// The enrolment.
    public var participantID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The participant.
    public var creditCode: UnifiedSocialCreditCode
    /// Why.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var withdrawnAt: Date

    public var aggregateID: String { participantID }

    public init(
        participantID: String,
        regionCode: DivisionCode,
        creditCode: UnifiedSocialCreditCode,
        reason: String,
        actorRole: ActorRole,
        withdrawnAt: Date
    ) {
        self.participantID = participantID
        self.regionCode = regionCode
        self.creditCode = creditCode
        self.reason = reason
        self.actorRole = actorRole
        self.withdrawnAt = withdrawnAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("participantID", .uuid, "The enrolment."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("creditCode", .creditCode, "The participant."),
            .required("reason", .text(maxLength: 1000), "Why."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("withdrawnAt", .dateTime, "When."),
        ])
    }

    public static var example: ParticipantWithdrawn {
        ParticipantWithdrawn(
            participantID: "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c",
            regionCode: Example.division("330000"),
            creditCode: Example.creditCode("91330000MA27U0XR18"),
            reason: "门店停业",
            actorRole: .regionalOfficial,
            withdrawnAt: Example.time("2023-10-10T03:00:00Z")
        )
    }
}
