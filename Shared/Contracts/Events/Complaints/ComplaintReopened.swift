import Foundation

/// The complainant reopened a closed case within the set period; it goes back to the handler for a new decision.
///
/// Event type `gbm.complaints.complaint.reopened.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintReopened: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.reopened.v1", topic: .complaintsComplaints,
        summary: "The complainant reopened a closed case within the set period; it goes back to the handler for a new decision.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Why, as the complainant gave it (no personal data).
    public var reason: String
    /// Last day to decide again: 7 working days after reopening.
    public var acceptanceDueOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var reopenedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        reason: String,
        acceptanceDueOn: CalendarDate,
        actorRole: ActorRole,
        reopenedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.reason = reason
        self.acceptanceDueOn = acceptanceDueOn
        self.actorRole = actorRole
        self.reopenedAt = reopenedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reason", .text(maxLength: 1000), "Why, as the complainant gave it (no personal data)."),
            .required("acceptanceDueOn", .date, "Last day to decide again: 7 working days after reopening."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("reopenedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintReopened {
        ComplaintReopened(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            reason: "商家未按协议退款",
            acceptanceDueOn: Example.day("2023-11-23"),
            actorRole: .marketRegulator,
            reopenedAt: Example.time("2023-11-14T07:00:00Z")
        )
    }
}
