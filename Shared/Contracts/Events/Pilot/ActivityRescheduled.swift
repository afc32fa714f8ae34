import Foundation

/// A scheduled activity moved to other dates.
///
/// Event type `gbm.pilot.activity.rescheduled.v1` on topic `gbm.pilot.activities.v1`; key: `activityID`.
public struct ActivityRescheduled: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.activity.rescheduled.v1", topic: .pilotActivities,
        summary: "A scheduled activity moved to other dates.")

    /// The activity.
    public var activityID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// First day before the change.
    public var previousStartsOn: CalendarDate
    /// Last day before the change.
    public var previousEndsOn: CalendarDate
    /// New first day.
    public var startsOn: CalendarDate
    /// New last day.
    public var endsOn: CalendarDate
    /// Why it moved.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When it was changed.
    public var rescheduledAt: Date

    public var aggregateID: String { activityID }

    public init(
        activityID: String,
        regionCode: DivisionCode,
        previousStartsOn: CalendarDate,
        previousEndsOn: CalendarDate,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        reason: String,
        actorRole: ActorRole,
        rescheduledAt: Date
    ) {
        self.activityID = activityID
        self.regionCode = regionCode
        self.previousStartsOn = previousStartsOn
        self.previousEndsOn = previousEndsOn
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.reason = reason
        self.actorRole = actorRole
        self.rescheduledAt = rescheduledAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("activityID", .uuid, "The activity."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("previousStartsOn", .date, "First day before the change."),
            .required("previousEndsOn", .date, "Last day before the change."),
            .required("startsOn", .date, "New first day."),
            .required("endsOn", .date, "New last day."),
            .required("reason", .text(maxLength: 1000), "Why it moved."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("rescheduledAt", .dateTime, "When it was changed."),
        ])
    }

    public static var example: ActivityRescheduled {
        ActivityRescheduled(
            activityID: "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a",
            regionCode: Example.division("330000"),
            previousStartsOn: Example.day("2023-06-10"),
            previousEndsOn: Example.day("2023-06-11"),
            startsOn: Example.day("2023-06-17"),
            endsOn: Example.day("2023-06-18"),
            reason: "天气原因延期",
            actorRole: .regionalOfficial,
            rescheduledAt: Example.time("2023-06-08T02:00:00Z")
        )
    }
}
