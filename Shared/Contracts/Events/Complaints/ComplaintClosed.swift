import Foundation

/// A case was closed with its outcome; the complainant may rate it and reopen it within the set period.
///
/// Event type `gbm.complaints.complaint.closed.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintClosed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.closed.v1", topic: .complaintsComplaints,
        summary: "A case was closed with its outcome; the complainant may rate it and reopen it within the set period.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// How it ended.
    public var outcome: ComplaintOutcome
    /// Last day the complainant may reopen it.
    public var reopenableUntil: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var closedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        outcome: ComplaintOutcome,
        reopenableUntil: CalendarDate,
        actorRole: ActorRole,
        closedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.outcome = outcome
        self.reopenableUntil = reopenableUntil
        self.actorRole = actorRole
        self.closedAt = closedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("outcome", .enumeration(ComplaintOutcome.self), "How it ended."),
            .required("reopenableUntil", .date, "Last day the complainant may reopen it."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("closedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintClosed {
        ComplaintClosed(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            outcome: .mediated,
            reopenableUntil: Example.day("2023-11-24"),
            actorRole: .marketRegulator,
            closedAt: Example.time("2023-11-10T07:00:00Z")
        )
    }
}
