import Foundation

/// A report (举报) of a suspected violation was received and routed; whether to open a case is decided within 15 working days.
///
/// Event type `gbm.complaints.report.received.v1` on topic `gbm.complaints.reports.v1`; key: `reportID`.
public struct ReportReceived: EventPayload {
    public static let eventType = EventType(
        name: "gbm.complaints.report.received.v1", topic: .complaintsReports,
        summary: "A report (举报) of a suspected violation was received and routed; whether to open a case is decided within 15 working days.")

    /// The report.
    public var reportID: String
    /// The case number the complainant follows the case by.
    public var caseNumber: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The market regulator's division the case is routed to (county when known).
    public var handlingDivision: DivisionCode
    /// The reporter, as a keyed hash.
    public var consumerRef: ConsumerRef
    /// How it arrived.
    public var channel: ComplaintChannel
    /// What it is about.
    public var category: ComplaintCategory
    /// The enterprise reported, when a valid credit code was given.
    public var respondentCreditCode: UnifiedSocialCreditCode?
    /// Whether the respondent is known.
    public var respondentKnown: Bool
    /// The certificate concerned, if given.
    public var certificateNumber: CertificateNumber?
    /// Whether the certificate is known to the catalogue.
    public var certificateKnown: Bool
    /// Day of receipt.
    public var receivedOn: CalendarDate
    /// Last day to decide whether to open a case: 15 working days after receipt.
    public var decisionDueOn: CalendarDate
    /// When.
    public var receivedAt: Date

    public var aggregateID: String { reportID }

    public init(
        reportID: String,
        caseNumber: String,
        regionCode: DivisionCode,
        handlingDivision: DivisionCode,
        consumerRef: ConsumerRef,
        channel: ComplaintChannel,
        category: ComplaintCategory,
        respondentCreditCode: UnifiedSocialCreditCode? = nil,
        respondentKnown: Bool,
        certificateNumber: CertificateNumber? = nil,
        certificateKnown: Bool,
        receivedOn: CalendarDate,
        decisionDueOn: CalendarDate,
        receivedAt: Date
    ) {
        self.reportID = reportID
        self.caseNumber = caseNumber
        self.regionCode = regionCode
        self.handlingDivision = handlingDivision
        self.consumerRef = consumerRef
        self.channel = channel
        self.category = category
        self.respondentCreditCode = respondentCreditCode
        self.respondentKnown = respondentKnown
        self.certificateNumber = certificateNumber
        self.certificateKnown = certificateKnown
        self.receivedOn = receivedOn
        self.decisionDueOn = decisionDueOn
        self.receivedAt = receivedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("reportID", .uuid, "The report."),
            .required("caseNumber", .string(pattern: "^TS[0-9]{14}$"), "The case number the complainant follows the case by."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("handlingDivision", .divisionCode, "The market regulator's division the case is routed to (county when known)."),
            .required("consumerRef", .consumerRef, "The reporter, as a keyed hash."),
            .required("channel", .enumeration(ComplaintChannel.self), "How it arrived."),
            .required("category", .enumeration(ComplaintCategory.self), "What it is about."),
            .optional("respondentCreditCode", .creditCode, "The enterprise reported, when a valid credit code was given."),
            .required("respondentKnown", .boolean, "Whether the respondent is known."),
            .optional("certificateNumber", .certificateNumber, "The certificate concerned, if given."),
            .required("certificateKnown", .boolean, "Whether the certificate is known to the catalogue."),
            .required("receivedOn", .date, "Day of receipt."),
            .required("decisionDueOn", .date, "Last day to decide whether to open a case: 15 working days after receipt."),
            .required("receivedAt", .dateTime, "When."),
        ])
    }

    public static var example: ReportReceived {
        ReportReceived(
            reportID: "0b6e4f5a-8c21-4d3e-9f70-1a2b3c4d5e6f",
            caseNumber: "TS20230927000001",
            regionCode: Example.division("330106"),
            handlingDivision: Example.division("330106"),
            consumerRef: Example.consumer,
            channel: .hotlineOperator,
            category: .falseGreenClaim,
            respondentCreditCode: Example.creditCode("91330000MA27U0XR18"),
            respondentKnown: true,
            certificateNumber: Example.certificate("CGBM-2023-SD-001234"),
            certificateKnown: true,
            receivedOn: Example.day("2023-09-27"),
            decisionDueOn: Example.day("2023-10-24"),
            receivedAt: Example.time("2023-09-27T03:20:00Z")
        )
    }
}
