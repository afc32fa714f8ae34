import Foundation

/// A complaint was not accepted; the consumer is told why.
///
/// Event type `gbm.complaints.complaint.rejected.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintRejected: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.rejected.v1", topic: .complaintsComplaints,
        summary: "A complaint was not accepted; the consumer is told why.")

    /// The complaint.
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Why, as a code.
    public var reasonCode: ComplaintRejectionReason
    /// Why, in words.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var rejectedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        reasonCode: ComplaintRejectionReason,
        reason: String,
        actorRole: ActorRole,
        rejectedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.reasonCode = reasonCode
        self.reason = reason
        self.actorRole = actorRole
        self.rejectedAt = rejectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reasonCode", .enumeration(ComplaintRejectionReason.self), "Why, as a code."),
            .required("reason", .text(maxLength: 1000), "Why, in words."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("rejectedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintRejected {
        ComplaintRejected(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330000"),
            reasonCode: .outsideJurisdiction,
            reason: "被投诉方不在本辖区，已告知向所在地市场监管部门投诉",
            actorRole: .marketRegulator,
            rejectedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
