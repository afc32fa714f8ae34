import Foundation

/// A complaint was not accepted, for one of the legal reasons; the complainant is told why.
///
/// Event type `gbm.complaints.complaint.not-accepted.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintNotAccepted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.not-accepted.v1", topic: .complaintsComplaints,
        summary: "A complaint was not accepted, for one of the legal reasons; the complainant is told why.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The legal reason.
    public var reasonCode: ComplaintNotAcceptedReason
    /// Why, in words (no personal data).
    public var reason: String
    /// Day of the decision.
    public var decidedOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var decidedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        reasonCode: ComplaintNotAcceptedReason,
        reason: String,
        decidedOn: CalendarDate,
        actorRole: ActorRole,
        decidedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.reasonCode = reasonCode
        self.reason = reason
        self.decidedOn = decidedOn
        self.actorRole = actorRole
        self.decidedAt = decidedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reasonCode", .enumeration(ComplaintNotAcceptedReason.self), "The legal reason."),
            .required("reason", .text(maxLength: 1000), "Why, in words (no personal data)."),
            .required("decidedOn", .date, "Day of the decision."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("decidedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintNotAccepted {
        ComplaintNotAccepted(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            reasonCode: .outsideJurisdiction,
            reason: "被投诉方不在本辖区，已告知向所在地市场监管部门投诉",
            decidedOn: Example.day("2023-10-09"),
            actorRole: .marketRegulator,
            decidedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
