import Foundation

/// An accepted complaint was handed to the respondent enrolled in online dispute resolution to settle first.
///
/// Event type `gbm.complaints.complaint.settlement-started.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintSettlementStarted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.settlement-started.v1", topic: .complaintsComplaints,
        summary: "An accepted complaint was handed to the respondent enrolled in online dispute resolution to settle first.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The enterprise that settles first.
    public var respondentCreditCode: UnifiedSocialCreditCode
    /// Last day of firm-first settlement: 10 working days after it started.
    public var settlementDueOn: CalendarDate
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var startedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        respondentCreditCode: UnifiedSocialCreditCode,
        settlementDueOn: CalendarDate,
        actorRole: ActorRole,
        startedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.respondentCreditCode = respondentCreditCode
        self.settlementDueOn = settlementDueOn
        self.actorRole = actorRole
        self.startedAt = startedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("respondentCreditCode", .creditCode, "The enterprise that settles first."),
            .required("settlementDueOn", .date, "Last day of firm-first settlement: 10 working days after it started."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("startedAt", .dateTime, "When."),
        ])
    }

    public static var example: ComplaintSettlementStarted {
        ComplaintSettlementStarted(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            respondentCreditCode: Example.creditCode("91330000MA27U0XR18"),
            settlementDueOn: Example.day("2023-10-23"),
            actorRole: .marketRegulator,
            startedAt: Example.time("2023-10-09T02:00:00Z")
        )
    }
}
