import Foundation

/// A case was transferred to another market regulator's division, with the reason.
///
/// Event type `gbm.complaints.complaint.transferred.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintTransferred: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.transferred.v1", topic: .complaintsComplaints,
        summary: "A case was transferred to another market regulator's division, with the reason.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The division that handled it.
    public var fromDivision: DivisionCode
    /// The division that handles it now.
    public var toDivision: DivisionCode
    /// Why.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var transferredAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        fromDivision: DivisionCode,
        toDivision: DivisionCode,
        reason: String,
        actorRole: ActorRole,
        transferredAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.fromDivision = fromDivision
        self.toDivision = toDivision
        self.reason = reason
        self.actorRole = actorRole
        self.transferredAt = transferredAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("fromDivision", .divisionCode, "The division that handled it."),
            .required("toDivision", .divisionCode, "The division that handles it now."),
            .required("reason", .text(maxLength: 1000), "Why."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("transferredAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintTransferred {
        ComplaintTransferred(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            fromDivision: Example.division("330106"),
            toDivision: Example.division("330108"),
            reason: "被投诉方住所地在滨江区",
            actorRole: .marketRegulator,
            transferredAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
