import Foundation

/// A pilot region held its launch meeting (启动会) for the campaign year; other activities may follow.
///
/// Event type `gbm.pilot.region.launch-meeting-held.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionLaunchMeetingHeld: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.launch-meeting-held.v1", topic: .pilotRegions,
        summary: "A pilot region held its launch meeting (启动会) for the campaign year; other activities may follow.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The launch meeting's activity id.
    public var activityID: String
    /// Campaign year.
    public var campaignYear: Int
    /// Date of the meeting.
    public var heldOn: CalendarDate
    /// Where it was held.
    public var placeCode: DivisionCode
    /// Number of attendees.
    public var attendance: Int
    /// When it was recorded.
    public var recordedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        activityID: String,
        campaignYear: Int,
        heldOn: CalendarDate,
        placeCode: DivisionCode,
        attendance: Int,
        recordedAt: Date
    ) {
        self.regionCode = regionCode
        self.activityID = activityID
        self.campaignYear = campaignYear
        self.heldOn = heldOn
        self.placeCode = placeCode
        self.attendance = attendance
        self.recordedAt = recordedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("activityID", .uuid, "The launch meeting's activity id."),
            .required("campaignYear", .year, "Campaign year."),
            .required("heldOn", .date, "Date of the meeting."),
            .required("placeCode", .divisionCode, "Where it was held."),
            .required("attendance", .count, "Number of attendees."),
            .required("recordedAt", .dateTime, "When it was recorded."),
        ])
    }

    public static var example: RegionLaunchMeetingHeld {
        RegionLaunchMeetingHeld(
            regionCode: Example.division("330000"),
            activityID: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            campaignYear: 2023,
            heldOn: Example.day("2023-05-18"),
            placeCode: Example.division("330100"),
            attendance: 320,
            recordedAt: Example.time("2023-05-18T10:00:00Z")
        )
    }
}
