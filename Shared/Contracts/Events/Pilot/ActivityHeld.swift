import Foundation

/// An activity took place; its outcome (attendance, enterprises, products, sales, page views) is recorded.
///
/// Event type `gbm.pilot.activity.held.v1` on topic `gbm.pilot.activities.v1`; key: `activityID`.
public struct ActivityHeld: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.activity.held.v1", topic: .pilotActivities,
        summary: "An activity took place; its outcome (attendance, enterprises, products, sales, page views) is recorded.")

    /// The activity.
    public var activityID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Kind of activity.
    public var type: ActivityType
    /// Administrative level.
    public var level: DivisionCode.Level
    /// Division code of the place.
    public var placeCode: DivisionCode
    /// First day.
    public var startsOn: CalendarDate
    /// Last day.
    public var endsOn: CalendarDate
    /// Number of attendees (offline).
    public var attendance: Int
    /// Enterprises that took part.
    public var enterprisesPresent: Int
    /// Products shown.
    public var productsShown: Int
    /// Sales during the activity, in fen.
    public var sales: Fen
    /// Page views (online campaigns; 0 otherwise).
    public var onlinePageViews: Int
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the outcome was recorded.
    public var recordedAt: Date

    public var aggregateID: String { activityID }

    public init(
        activityID: String,
        regionCode: DivisionCode,
        type: ActivityType,
        level: DivisionCode.Level,
        placeCode: DivisionCode,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        attendance: Int,
        enterprisesPresent: Int,
        productsShown: Int,
        sales: Fen,
        onlinePageViews: Int,
        actorRole: ActorRole,
        recordedAt: Date
    ) {
        self.activityID = activityID
        self.regionCode = regionCode
        self.type = type
        self.level = level
        self.placeCode = placeCode
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.attendance = attendance
        self.enterprisesPresent = enterprisesPresent
        self.productsShown = productsShown
        self.sales = sales
        self.onlinePageViews = onlinePageViews
        self.actorRole = actorRole
        self.recordedAt = recordedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("activityID", .uuid, "The activity."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("type", .enumeration(ActivityType.self), "Kind of activity."),
            .required("level", .enumeration(DivisionCode.Level.self), "Administrative level."),
            .required("placeCode", .divisionCode, "Division code of the place."),
            .required("startsOn", .date, "First day."),
            .required("endsOn", .date, "Last day."),
            .required("attendance", .count, "Number of attendees (offline)."),
            .required("enterprisesPresent", .count, "Enterprises that took part."),
            .required("productsShown", .count, "Products shown."),
            .required("sales", .fen, "Sales during the activity, in fen."),
            .required("onlinePageViews", .count, "Page views (online campaigns; 0 otherwise)."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("recordedAt", .dateTime, "When the outcome was recorded."),
        ])
    }

    public static var example: ActivityHeld {
        ActivityHeld(
            activityID: "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a",
            regionCode: Example.division("330000"),
            type: .specialSalesSession,
            level: .town,
            placeCode: Example.division("330110005"),
            startsOn: Example.day("2023-06-17"),
            endsOn: Example.day("2023-06-18"),
            attendance: 1_250,
            enterprisesPresent: 36,
            productsShown: 410,
            sales: Fen(386_540_000),
            onlinePageViews: 0,
            actorRole: .regionalOfficial,
            recordedAt: Example.time("2023-06-19T09:00:00Z")
        )
    }
}
