import Foundation

/// Mediation of a complaint ended with an outcome.
///
/// Event type `gbm.complaints.complaint.resolved.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintResolved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.resolved.v1", topic: .complaintsComplaints,
        summary: "Mediation of a complaint ended with an outcome.")

    /// The complaint.
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// How it ended.
    public var outcome: ComplaintOutcome
    /// Compensation agreed, in fen, if any.
    public var compensation: Fen?
    /// Day it ended.
    public var resolvedOn: CalendarDate
    /// Whether it ended within 45 working days of acceptance.
    public var withinDeadline: Bool
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var resolvedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        outcome: ComplaintOutcome,
        compensation: Fen? = nil,
        resolvedOn: CalendarDate,
        withinDeadline: Bool,
        actorRole: ActorRole,
        resolvedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.outcome = outcome
        self.compensation = compensation
        self.resolvedOn = resolvedOn
        self.withinDeadline = withinDeadline
        self.actorRole = actorRole
        self.resolvedAt = resolvedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("outcome", .enumeration(ComplaintOutcome.self), "How it ended."),
            .optional("compensation", .fen, "Compensation agreed, in fen, if any."),
            .required("resolvedOn", .date, "Day it ended."),
            .required("withinDeadline", .boolean, "Whether it ended within 45 working days of acceptance."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("resolvedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintResolved {
        ComplaintResolved(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330000"),
            outcome: .agreementReached,
            compensation: Fen(86_000),
            resolvedOn: Example.day("2023-11-03"),
            withinDeadline: true,
            actorRole: .marketRegulator,
            resolvedAt: Example.time("2023-11-03T07:00:00Z")
        )
    }
}
