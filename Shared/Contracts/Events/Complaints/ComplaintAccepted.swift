import Foundation

/// A complaint was accepted; settlement (firm-first) and mediation must end within 45 working days of acceptance.
///
/// Event type `gbm.complaints.complaint.accepted.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintAccepted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.accepted.v1", topic: .complaintsComplaints,
        summary: "A complaint was accepted; settlement (firm-first) and mediation must end within 45 working days of acceptance.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Day of acceptance.
    public var acceptedOn: CalendarDate
    /// Last day of mediation: 45 working days after acceptance.
    public var mediationDueOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var acceptedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        acceptedOn: CalendarDate,
        mediationDueOn: CalendarDate,
        actorRole: ActorRole,
        acceptedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.acceptedOn = acceptedOn
        self.mediationDueOn = mediationDueOn
        self.actorRole = actorRole
        self.acceptedAt = acceptedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("acceptedOn", .date, "Day of acceptance."),
            .required("mediationDueOn", .date, "Last day of mediation: 45 working days after acceptance."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("acceptedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintAccepted {
        ComplaintAccepted(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            acceptedOn: Example.day("2023-10-09"),
            mediationDueOn: Example.day("2023-12-11"),
            actorRole: .marketRegulator,
            acceptedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
