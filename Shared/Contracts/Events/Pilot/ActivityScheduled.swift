import Foundation

/// A pilot region scheduled an activity (lecture, special sales session, roadshow or online campaign).
///
/// Event type `gbm.pilot.activity.scheduled.v1` on topic `gbm.pilot.activities.v1`; key: `activityID`.
public struct ActivityScheduled: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.activity.scheduled.v1", topic: .pilotActivities,
        summary: "A pilot region scheduled an activity (lecture, special sales session, roadshow or online campaign).")

    /// The activity's id.
    public var activityID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Kind of activity.
    public var type: ActivityType
    /// Online or offline.
    public var mode: ActivityMode
    /// Administrative level it is organised at.
    public var level: DivisionCode.Level
    /// Division code of the place (up to a 12-digit village code).
    public var placeCode: DivisionCode
    /// Title.
    public var title: String
    /// First day.
    public var startsOn: CalendarDate
    /// Last day.
    public var endsOn: CalendarDate
    /// Reference of the safety plan (offline activities).
    public var safetyPlanReference: String?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When it was scheduled.
    public var scheduledAt: Date

    public var aggregateID: String { activityID }

    public init(
        activityID: String,
        regionCode: DivisionCode,
        type: ActivityType,
        mode: ActivityMode,
        level: DivisionCode.Level,
        placeCode: DivisionCode,
        title: String,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        safetyPlanReference: String? = nil,
        actorRole: ActorRole,
        scheduledAt: Date
    ) {
        self.activityID = activityID
        self.regionCode = regionCode
        self.type = type
        self.mode = mode
        self.level = level
        self.placeCode = placeCode
        self.title = title
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.safetyPlanReference = safetyPlanReference
        self.actorRole = actorRole
        self.scheduledAt = scheduledAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("activityID", .uuid, "The activity's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("type", .enumeration(ActivityType.self), "Kind of activity."),
            .required("mode", .enumeration(ActivityMode.self), "Online or offline."),
            .required("level", .enumeration(DivisionCode.Level.self), "Administrative level it is organised at."),
            .required("placeCode", .divisionCode, "Division code of the place (up to a 12-digit village code)."),
            .required("title", .text(maxLength: 200), "Title."),
            .required("startsOn", .date, "First day."),
            .required("endsOn", .date, "Last day."),
            .optional("safetyPlanReference", .text(maxLength: 100), "Reference of the safety plan (offline activities)."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("scheduledAt", .dateTime, "When it was scheduled."),
        ])
    }

    public static var example: ActivityScheduled {
        ActivityScheduled(
            activityID: "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a",
            regionCode: Example.division("330000"),
            type: .specialSalesSession,
            mode: .offline,
            level: .town,
            placeCode: Example.division("330110005"),
            title: "绿色建材下乡专场活动（良渚街道）",
            startsOn: Example.day("2023-06-10"),
            endsOn: Example.day("2023-06-11"),
            safetyPlanReference: "ZJ-AQ-2023-017",
            actorRole: .regionalOfficial,
            scheduledAt: Example.time("2023-05-20T02:00:00Z")
        )
    }
}
