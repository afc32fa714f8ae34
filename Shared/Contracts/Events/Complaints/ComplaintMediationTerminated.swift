import Foundation

/// Mediation ended without agreement (refused, or 45 working days passed); the parties must be told within 7 working days.
///
/// Event type `gbm.complaints.complaint.mediation-terminated.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintMediationTerminated: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.mediation-terminated.v1", topic: .complaintsComplaints,
        summary: "Mediation ended without agreement (refused, or 45 working days passed); the parties must be told within 7 working days.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Why (no personal data).
    public var reason: String
    /// Day mediation ended.
    public var terminatedOn: CalendarDate
    /// Last day to tell the parties: 7 working days after termination.
    public var partiesToldBy: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var terminatedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        reason: String,
        terminatedOn: CalendarDate,
        partiesToldBy: CalendarDate,
        actorRole: ActorRole,
        terminatedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.reason = reason
        self.terminatedOn = terminatedOn
        self.partiesToldBy = partiesToldBy
        self.actorRole = actorRole
        self.terminatedAt = terminatedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("reason", .text(maxLength: 1000), "Why (no personal data)."),
            .required("terminatedOn", .date, "Day mediation ended."),
            .required("partiesToldBy", .date, "Last day to tell the parties: 7 working days after termination."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("terminatedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintMediationTerminated {
        ComplaintMediationTerminated(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            reason: "超过四十五个工作日未达成调解协议",
            terminatedOn: Example.day("2023-12-12"),
            partiesToldBy: Example.day("2023-12-21"),
            actorRole: .marketRegulator,
            terminatedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
