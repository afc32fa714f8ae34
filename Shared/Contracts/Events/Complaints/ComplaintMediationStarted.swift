import Foundation

/// Mediation between complainant and respondent started for an accepted complaint.
///
/// Event type `gbm.complaints.complaint.mediation-started.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintMediationStarted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.mediation-started.v1", topic: .complaintsComplaints,
        summary: "Mediation between complainant and respondent started for an accepted complaint.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The mediating organisation.
    public var mediator: String
    /// Last day of mediation: 45 working days after acceptance.
    public var mediationDueOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var startedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        mediator: String,
        mediationDueOn: CalendarDate,
        actorRole: ActorRole,
        startedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.mediator = mediator
        self.mediationDueOn = mediationDueOn
        self.actorRole = actorRole
        self.startedAt = startedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("mediator", .text(maxLength: 200), "The mediating organisation."),
            .required("mediationDueOn", .date, "Last day of mediation: 45 working days after acceptance."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("startedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintMediationStarted {
        ComplaintMediationStarted(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            mediator: "杭州市西湖区市场监督管理局",
            mediationDueOn: Example.day("2023-12-11"),
            actorRole: .marketRegulator,
            startedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
