import Foundation

/// A scheduled activity was cancelled.
///
/// Event type `gbm.pilot.activity.cancelled.v1` on topic `gbm.pilot.activities.v1`; key: `activityID`.
public struct ActivityCancelled: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.activity.cancelled.v1", topic: .pilotActivities,
        summary: "A scheduled activity was cancelled.")

    /// The activity.
    public var activityID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Why it was cancelled.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When it was cancelled.
    public var cancelledAt: Date

    public var aggregateID: String { activityID }

    public init(
        activityID: String,
        regionCode: DivisionCode,
        reason: String,
        actorRole: ActorRole,
        cancelledAt: Date
    ) {
        self.activityID = activityID
        self.regionCode = regionCode
        self.reason = reason
        self.actorRole = actorRole
        self.cancelledAt = cancelledAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("activityID", .uuid, "The activity."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reason", .text(maxLength: 1000), "Why it was cancelled."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("cancelledAt", .dateTime, "When it was cancelled."),
        ])
    }

    public static var example: ActivityCancelled {
        ActivityCancelled(
            activityID: "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a",
            regionCode: Example.division("330000"),
            reason: "场地安全检查未通过",
            actorRole: .regionalOfficial,
            cancelledAt: Example.time("2023-06-09T02:00:00Z")
        )
    }
}
