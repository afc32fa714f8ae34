import Foundation

/// A case passed a working-day deadline without the required step; it is escalated (the flag is visible on the case).
///
/// Event type `gbm.complaints.complaint.deadline-breached.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintDeadlineBreached: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.deadline-breached.v1", topic: .complaintsComplaints,
        summary: "A case passed a working-day deadline without the required step; it is escalated (the flag is visible on the case).")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The market regulator's division the case is routed to (county when known).
    public var handlingDivision: DivisionCode
    /// Which deadline.
    public var deadline: ComplaintDeadline
    /// The day it was due.
    public var dueOn: CalendarDate
    /// When the breach was detected.
    public var detectedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        handlingDivision: DivisionCode,
        deadline: ComplaintDeadline,
        dueOn: CalendarDate,
        detectedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.handlingDivision = handlingDivision
        self.deadline = deadline
        self.dueOn = dueOn
        self.detectedAt = detectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("handlingDivision", .divisionCode, "The market regulator's division the case is routed to (county when known)."),
            .required("deadline", .enumeration(ComplaintDeadline.self), "Which deadline."),
            .required("dueOn", .date, "The day it was due."),
            .required("detectedAt", .dateTime, "When the breach was detected."),
        ])
    }

    public static var example: ComplaintDeadlineBreached {
        ComplaintDeadlineBreached(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330106"),
            handlingDivision: Example.division("330106"),
            deadline: .acceptance,
            dueOn: Example.day("2023-10-12"),
            detectedAt: Example.time("2023-10-12T16:00:05Z")
        )
    }
}
