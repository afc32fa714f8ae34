import Foundation

/// A consumer complaint was received; it must be accepted or rejected within 7 working days.
///
/// Event type `gbm.complaints.complaint.received.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintReceived: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.received.v1", topic: .complaintsComplaints,
        summary: "A consumer complaint was received; it must be accepted or rejected within 7 working days.")

    /// The complaint's id.
    public var complaintID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The consumer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// How it arrived.
    public var channel: ComplaintChannel
    /// What it is about.
    public var category: ComplaintCategory
    /// The certificate the product claims, if any.
    public var certificateNumber: CertificateNumber?
    /// The seller complained about, if known.
    public var sellerCreditCode: UnifiedSocialCreditCode?
    /// Day of receipt (Asia/Shanghai).
    public var receivedOn: CalendarDate
    /// Last day to accept or reject: 7 working days after receipt.
    public var acceptanceDueOn: CalendarDate
    /// When it was received.
    public var receivedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        channel: ComplaintChannel,
        category: ComplaintCategory,
        certificateNumber: CertificateNumber? = nil,
        sellerCreditCode: UnifiedSocialCreditCode? = nil,
        receivedOn: CalendarDate,
        acceptanceDueOn: CalendarDate,
        receivedAt: Date
    ) {
        self.complaintID = complaintID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.channel = channel
        self.category = category
        self.certificateNumber = certificateNumber
        self.sellerCreditCode = sellerCreditCode
        self.receivedOn = receivedOn
        self.acceptanceDueOn = acceptanceDueOn
        self.receivedAt = receivedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint's id."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The consumer, as a keyed hash (never a name, phone or ID number)."),
            .required("channel", .enumeration(ComplaintChannel.self), "How it arrived."),
            .required("category", .enumeration(ComplaintCategory.self), "What it is about."),
            .optional("certificateNumber", .certificateNumber, "The certificate the product claims, if any."),
            .optional("sellerCreditCode", .creditCode, "The seller complained about, if known."),
            .required("receivedOn", .date, "Day of receipt (Asia/Shanghai)."),
            .required("acceptanceDueOn", .date, "Last day to accept or reject: 7 working days after receipt."),
            .required("receivedAt", .dateTime, "When it was received."),
        ])
    }

    public static var example: ComplaintReceived {
        ComplaintReceived(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            channel: .hotline12315,
            category: .falseGreenClaim,
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            sellerCreditCode: Example.creditCode("91330000MA27U0XR18"),
            receivedOn: Example.day("2023-09-27"),
            acceptanceDueOn: Example.day("2023-10-12"),
            receivedAt: Example.time("2023-09-27T03:20:00Z")
        )
    }
}
