import Foundation

/// Mediation (or firm-first settlement) ended with an agreement, recorded on the case.
///
/// Event type `gbm.complaints.complaint.mediated.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintMediated: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.mediated.v1", topic: .complaintsComplaints,
        summary: "Mediation (or firm-first settlement) ended with an agreement, recorded on the case.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// What was agreed (no personal data).
    public var agreement: String
    /// Compensation agreed, in fen, if any.
    public var compensation: Fen?
    /// Whether the respondent settled it first, without mediation.
    public var bySettlement: Bool
    /// Day of the agreement.
    public var mediatedOn: CalendarDate
    /// Whether it ended within 45 working days of acceptance.
    public var withinDeadline: Bool
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var mediatedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        agreement: String,
        compensation: Fen? = nil,
        bySettlement: Bool,
        mediatedOn: CalendarDate,
        withinDeadline: Bool,
        actorRole: ActorRole,
        mediatedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.agreement = agreement
        self.compensation = compensation
        self.bySettlement = bySettlement
        self.mediatedOn = mediatedOn
        self.withinDeadline = withinDeadline
        self.actorRole = actorRole
        self.mediatedAt = mediatedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("agreement", .text(maxLength: 2000), "What was agreed (no personal data)."),
            .optional("compensation", .fen, "Compensation agreed, in fen, if any."),
            .required("bySettlement", .boolean, "Whether the respondent settled it first, without mediation."),
            .required("mediatedOn", .date, "Day of the agreement."),
            .required("withinDeadline", .boolean, "Whether it ended within 45 working days of acceptance."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("mediatedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintMediated {
        ComplaintMediated(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            agreement: "商家退货退款并承担安装费用",
            compensation: Fen(86_000),
            bySettlement: false,
            mediatedOn: Example.day("2023-11-03"),
            withinDeadline: true,
            actorRole: .marketRegulator,
            mediatedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
