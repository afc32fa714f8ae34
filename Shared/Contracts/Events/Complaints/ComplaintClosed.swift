import Foundation

/// A complaint's file was closed; nothing further happens on it.
///
/// Event type `gbm.complaints.complaint.closed.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintClosed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.closed.v1", topic: .complaintsComplaints,
        summary: "A complaint's file was closed; nothing further happens on it.")

    /// The complaint.
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Outcome, if it was mediated.
    public var outcome: ComplaintOutcome?
    /// The consumer's feedback, if given.
    public var consumerSatisfied: Bool?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var closedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        outcome: ComplaintOutcome? = nil,
        consumerSatisfied: Bool? = nil,
        actorRole: ActorRole,
        closedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.outcome = outcome
        self.consumerSatisfied = consumerSatisfied
        self.actorRole = actorRole
        self.closedAt = closedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .optional("outcome", .enumeration(ComplaintOutcome.self), "Outcome, if it was mediated."),
            .optional("consumerSatisfied", .boolean, "The consumer's feedback, if given."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("closedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintClosed {
        ComplaintClosed(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330000"),
            outcome: .agreementReached,
            consumerSatisfied: true,
            actorRole: .marketRegulator,
            closedAt: Example.time("2023-11-10T07:00:00Z")
        )
    }
}
