import Foundation

/// A consultation or complaint was received and routed to a market regulator; a complaint must be accepted or not within 7 working days.
///
/// Event type `gbm.complaints.complaint.received.v1` on topic `gbm.complaints.complaints.v1`; key: `complaintID`.
public struct ComplaintReceived: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.complaint.received.v1", topic: .complaintsComplaints,
        summary: "A consultation or complaint was received and routed to a market regulator; a complaint must be accepted or not within 7 working days.")

    /// The complaint (or consultation).
    public var complaintID: String
    /// The case number the complainant follows the case by.
    public var caseNumber: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The market regulator's division the case is routed to (county when known).
    public var handlingDivision: DivisionCode
    /// consultation or complaint.
    public var kind: ComplaintKind
    /// The complainant, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// How it arrived.
    public var channel: ComplaintChannel
    /// What it is about.
    public var category: ComplaintCategory
    /// The enterprise or seller complained about, when a valid credit code was given.
    public var respondentCreditCode: UnifiedSocialCreditCode?
    /// Whether the respondent is a known enterprise or enrolled seller (false: free text, flagged for the handler).
    public var respondentKnown: Bool
    /// The certificate the product claims, if given.
    public var certificateNumber: CertificateNumber?
    /// Whether the certificate is known to the catalogue (false when absent or unknown).
    public var certificateKnown: Bool
    /// The subsidy claim it is about, if any.
    public var claimID: String?
    /// Amount in dispute, in fen.
    public var amountInDispute: Fen?
    /// The earlier case of the same complainant, respondent and facts this one is linked to.
    public var duplicateOf: String?
    /// Day of receipt (Asia/Shanghai).
    public var receivedOn: CalendarDate
    /// Last day to accept or not: 7 working days after receipt (complaints only).
    public var acceptanceDueOn: CalendarDate?
    /// When it was received.
    public var receivedAt: Date

    public var aggregateID: String { complaintID }

    public init(
        complaintID: String,
        caseNumber: String,
        regionCode: DivisionCode,
        handlingDivision: DivisionCode,
        kind: ComplaintKind,
        consumerRef: ConsumerRef,
        channel: ComplaintChannel,
        category: ComplaintCategory,
        respondentCreditCode: UnifiedSocialCreditCode? = nil,
        respondentKnown: Bool,
        certificateNumber: CertificateNumber? = nil,
        certificateKnown: Bool,
        claimID: String? = nil,
        amountInDispute: Fen? = nil,
        duplicateOf: String? = nil,
        receivedOn: CalendarDate,
        acceptanceDueOn: CalendarDate? = nil,
        receivedAt: Date
    ) {
        self.complaintID = complaintID
        self.caseNumber = caseNumber
        self.regionCode = regionCode
        self.handlingDivision = handlingDivision
        self.kind = kind
        self.consumerRef = consumerRef
        self.channel = channel
        self.category = category
        self.respondentCreditCode = respondentCreditCode
        self.respondentKnown = respondentKnown
        self.certificateNumber = certificateNumber
        self.certificateKnown = certificateKnown
        self.claimID = claimID
        self.amountInDispute = amountInDispute
        self.duplicateOf = duplicateOf
        self.receivedOn = receivedOn
        self.acceptanceDueOn = acceptanceDueOn
        self.receivedAt = receivedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("complaintID", .uuid, "The complaint (or consultation)."),
            .required("caseNumber", .string(pattern: "^TS[0-9]{14}$"), "The case number the complainant follows the case by."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("handlingDivision", .divisionCode, "The market regulator's division the case is routed to (county when known)."),
            .required("kind", .enumeration(ComplaintKind.self), "consultation or complaint."),
            .required("consumerRef", .consumerRef, "The complainant, as a keyed hash (never a name, phone or ID number)."),
            .required("channel", .enumeration(ComplaintChannel.self), "How it arrived."),
            .required("category", .enumeration(ComplaintCategory.self), "What it is about."),
            .optional("respondentCreditCode", .creditCode, "The enterprise or seller complained about, when a valid credit code was given."),
            .required("respondentKnown", .boolean, "Whether the respondent is a known enterprise or enrolled seller (false: free text, flagged for the handler)."),
            .optional("certificateNumber", .certificateNumber, "The certificate the product claims, if given."),
            .required("certificateKnown", .boolean, "Whether the certificate is known to the catalogue (false when absent or unknown)."),
            .optional("claimID", .uuid, "The subsidy claim it is about, if any."),
            .optional("amountInDispute", .fen, "Amount in dispute, in fen."),
            .optional("duplicateOf", .uuid, "The earlier case of the same complainant, respondent and facts this one is linked to."),
            .required("receivedOn", .date, "Day of receipt (Asia/Shanghai)."),
            .optional("acceptanceDueOn", .date, "Last day to accept or not: 7 working days after receipt (complaints only)."),
            .required("receivedAt", .dateTime, "When it was received."),
        ])
    }

    public static var example: ComplaintReceived {
        ComplaintReceived(
            complaintID: "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c",
            caseNumber: "TS20230927000001",
            regionCode: Example.division("330106"),
            handlingDivision: Example.division("330106"),
            kind: .complaint,
            consumerRef: Example.consumer,
            channel: .webForm,
            category: .falseGreenClaim,
            respondentCreditCode: Example.creditCode("91330000MA27U0XR18"),
            respondentKnown: true,
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            certificateKnown: true,
            claimID: "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d",
            amountInDispute: Fen(86_000),
            duplicateOf: "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
            receivedOn: Example.day("2023-09-27"),
            acceptanceDueOn: Example.day("2023-10-12"),
            receivedAt: Example.time("2023-09-27T03:20:00Z")
        )
    }
}
