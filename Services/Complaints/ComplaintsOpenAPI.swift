import Contracts
import ServiceKit

/// The OpenAPI 3.1 document of `complaints`'s own routes (the host adds health, metrics and `/openapi.json`), with
/// every request and response schema; `ComplaintsDefinitionTests` checks it against the router.
enum ComplaintsOpenAPI {
    static let handlers: [Role] = [.ministry, .marketRegulator, .regionOfficial]
    static let uuid = JSONSchema.uuid
    static let date = JSONSchema.date
    static let dateTime = JSONSchema.dateTime
    static let fen = JSONSchema.integer(minimum: 0, maximum: Validator.maximumFen)
    static let caseNumber = JSONSchema.string(pattern: "^TS[0-9]{14}$")
    static let secretHeader = OpenAPIRoute.QueryParameter(
        "Case-Secret", .text(maxLength: 100), "The secret the intake gave the complainant", required: true)

    static let channelsInput: JSONSchema = .object([
        .required("hotline", .string(pattern: "^[0-9][0-9 -]{2,48}[0-9]?$"), "The region's complaint hotline."),
        .required("handover12315", .boolean, "Whether 12315 complaints are handed over to the region."),
        .optional("onlineAddress", .string(pattern: "^https://.+$"), "Online complaint address (https)."),
        .optional("officeAddress", .text(maxLength: 500), "Office taking complaints in person."),
        .optional("officeHours", .text(maxLength: 200), "Its opening hours."),
    ])

    static let channels: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The pilot region."),
        .optional("regionName", .text(maxLength: 200), "Its name."),
        .required("hotline", .text(maxLength: 50), "Hotline."),
        .required("handover12315", .boolean, "12315 hand-over."),
        .optional("onlineAddress", .text(maxLength: 500), "Online address."),
        .optional("officeAddress", .text(maxLength: 500), "Office address."),
        .optional("officeHours", .text(maxLength: 200), "Office hours."),
        .required("publishedAt", dateTime, "Last published."),
    ])

    static let caseInput: JSONSchema = .object([
        .required("kind", .enumeration(ComplaintKind.self), "consultation, complaint or report."),
        .required("channel", .enumeration(ComplaintChannel.self), "How it arrived (anonymous callers: web-form; e-commerce platforms: ecommerce-platform)."),
        .required("category", .enumeration(ComplaintCategory.self), "What it is about."),
        .required("regionCode", .divisionCode, "The approved pilot region."),
        .optional("countyCode", .string(pattern: "^[1-8][0-9]{5}$"), "The county (or city) within the region where it happened: the case is routed there."),
        .required("complainantName", .text(maxLength: 50), "Stored only masked and encrypted."),
        .required("complainantPhone", .string(pattern: "^[0-9][0-9 -]{5,18}[0-9]$"), "Stored only hashed, masked and encrypted."),
        .optional("complainantIDNumber", .string(pattern: "^[0-9]{17}[0-9Xx]$"), "Resident ID number (check character verified); stored only hashed, masked and encrypted."),
        .optional("respondentCreditCode", .creditCode, "The enterprise or seller (check character verified; unknown ones are flagged, not refused)."),
        .optional("respondentName", .text(maxLength: 200), "The respondent as the consumer names it (a complaint needs this or the credit code)."),
        .optional("certificateNumber", .certificateNumber, "The certificate the product claims (unknown ones are flagged)."),
        .optional("claimID", uuid, "The subsidy claim it is about."),
        .optional("purchasedOn", date, "Purchase day, not in the future."),
        .optional("amountInDispute", fen, "Amount in dispute, in fen."),
        .required("facts", .text(maxLength: 5000), "What happened (or the question)."),
        .optional("demands", .text(maxLength: 2000), "What the complainant asks for (required for a complaint)."),
        .optional("attachments", .array(of: .object([
            .required("fileName", .text(maxLength: 200), "File name."),
            .required("mediaType", .string(pattern: "^(image/jpeg|image/png|application/pdf)$"), "image/jpeg, image/png or application/pdf (the content must match)."),
            .required("content", .string(pattern: "^[A-Za-z0-9+/=]+$"), "The file, base64; at most 400 KiB decoded."),
            .optional("sha256", .sha256, "The file's SHA-256, checked when given."),
        ])), "At most 3 files (photos, invoices)."),
    ])

    static let receipt: JSONSchema = .object([
        .required("id", uuid, "The case."),
        .required("caseNumber", caseNumber, "The case number."),
        .required("secret", .text(maxLength: 100), "With the case number, follows the case without an account (shown once)."),
        .required("status", .enumeration(CaseStatus.self), "received."),
        .required("handlingDivision", .divisionCode, "The market regulator's division it was routed to."),
        .optional("dueOn", date, "The first deadline."),
        .optional("duplicateOf", uuid, "The earlier case it duplicates."),
        .required("flags", .array(of: .text(maxLength: 50)), "unknown-respondent, unknown-certificate, unknown-claim."),
    ])

    static let caseView: JSONSchema = .object([
        .required("id", uuid, "The case."),
        .required("caseNumber", caseNumber, "Case number."),
        .required("kind", .enumeration(ComplaintKind.self), "Kind."),
        .required("channel", .enumeration(ComplaintChannel.self), "Channel."),
        .required("category", .enumeration(ComplaintCategory.self), "Category."),
        .required("status", .enumeration(CaseStatus.self), "Status."),
        .required("regionCode", .divisionCode, "Pilot region."),
        .required("handlingDivision", .divisionCode, "Routed to."),
        .required("complainantNameMasked", .text(maxLength: 50), "Masked name."),
        .required("complainantPhoneMasked", .text(maxLength: 20), "Masked phone."),
        .optional("complainantIDNumberMasked", .text(maxLength: 18), "Masked ID number."),
        .optional("respondentCreditCode", .creditCode, "Respondent's credit code."),
        .optional("respondentName", .text(maxLength: 200), "Respondent as named."),
        .required("respondentKnown", .boolean, "Known enterprise or enrolled seller."),
        .optional("certificateNumber", .text(maxLength: 40), "Certificate."),
        .required("certificateKnown", .boolean, "Known to the catalogue."),
        .optional("claimID", uuid, "Subsidy claim."),
        .required("claimKnown", .boolean, "Known subsidy claim."),
        .required("flags", .array(of: .text(maxLength: 50)), "What the handler should check."),
        .optional("purchasedOn", date, "Purchase day."),
        .optional("amountInDispute", fen, "Amount in dispute."),
        .required("facts", .text(maxLength: 5000), "Facts."),
        .optional("demands", .text(maxLength: 2000), "Demands."),
        .optional("duplicateOf", uuid, "The earlier case it duplicates."),
        .required("receivedOn", date, "Day received."),
        .required("receivedAt", dateTime, "When received."),
        .optional("dueDeadline", .enumeration(ComplaintDeadline.self), "The deadline running now."),
        .optional("dueOn", date, "Its last day."),
        .required("overdue", .boolean, "The running deadline was breached (escalated)."),
        .required("reminderSent", .boolean, "The handler was reminded of the running deadline."),
        .optional("acceptedOn", date, "Day accepted."),
        .optional("mediationDueOn", date, "Last day of mediation (45 working days after acceptance)."),
        .optional("notAcceptedReason", .enumeration(ComplaintNotAcceptedReason.self), "Legal reason for not accepting."),
        .optional("mediator", .text(maxLength: 200), "Mediator."),
        .optional("agreement", .text(maxLength: 2000), "Agreement recorded."),
        .optional("compensation", fen, "Compensation agreed."),
        .optional("outcome", .enumeration(ComplaintOutcome.self), "Outcome."),
        .optional("decisionNote", .text(maxLength: 1000), "The handler's note on the last decision."),
        .optional("closedOn", date, "Day closed."),
        .optional("reopenableUntil", date, "Last day the complainant may reopen."),
        .optional("rating", .integer(minimum: 1, maximum: 5), "The complainant's rating."),
        .optional("ratingComment", .text(maxLength: 1000), "Its comment."),
        .required("reopenCount", .count, "Times reopened."),
        .required("breaches", .array(of: .object([
            .required("deadline", .enumeration(ComplaintDeadline.self), "Which deadline."),
            .required("dueOn", date, "Its last day."),
            .required("detectedAt", dateTime, "When the breach was detected."),
        ])), "Deadlines breached (escalations)."),
        .required("attachments", .array(of: .object([
            .required("id", uuid, "Attachment."),
            .required("fileName", .text(maxLength: 200), "File name."),
            .required("mediaType", .text(maxLength: 100), "Media type."),
            .required("sizeBytes", .count, "Size."),
            .required("sha256", .sha256, "SHA-256 of the content."),
        ])), "Attachments (metadata)."),
        .required("history", .array(of: .object([
            .required("action", .text(maxLength: 50), "What was done."),
            .optional("fromStatus", .enumeration(CaseStatus.self), "Status before."),
            .required("toStatus", .enumeration(CaseStatus.self), "Status after."),
            .required("actorRole", .enumeration(ActorRole.self), "Who (role)."),
            .optional("note", .text(maxLength: 2000), "Reason or note."),
            .required("at", dateTime, "When."),
        ])), "Every step."),
    ])

    static let transitionInput: JSONSchema = .object([
        .required("action", .enumeration(CaseAction.self), "accept, not-accept (reasonCode, reason), start-settlement, start-mediation (mediator), record-agreement (agreement, compensation), terminate-mediation (reason), answer (reason), open-case (reason, violationKind), decline-case (reason), close, transfer (toDivision, reason). reopen is the complainant's."),
        .optional("reasonCode", .enumeration(ComplaintNotAcceptedReason.self), "The legal reason for not accepting."),
        .optional("reason", .text(maxLength: 1000), "Why, or the answer to a consultation."),
        .optional("mediator", .text(maxLength: 200), "The mediating organisation."),
        .optional("agreement", .text(maxLength: 2000), "What was agreed."),
        .optional("compensation", fen, "Compensation agreed, in fen."),
        .optional("toDivision", .string(pattern: "^[1-8][0-9]{5}$"), "The division to transfer to."),
        .optional("violationKind", .enumeration(ViolationKind.self), "Opening a case on a report about a certificate: announces a certification violation."),
    ])

    static let publicView: JSONSchema = .object([
        .required("caseNumber", caseNumber, "Case number."),
        .required("kind", .enumeration(ComplaintKind.self), "Kind."),
        .required("status", .enumeration(CaseStatus.self), "Status."),
        .required("handlingDivision", .divisionCode, "Handled by."),
        .required("receivedOn", date, "Received."),
        .optional("dueDeadline", .enumeration(ComplaintDeadline.self), "Deadline running."),
        .optional("dueOn", date, "Its last day."),
        .optional("outcome", .enumeration(ComplaintOutcome.self), "Outcome."),
        .optional("notAcceptedReason", .enumeration(ComplaintNotAcceptedReason.self), "Why not accepted."),
        .optional("closedOn", date, "Closed."),
        .optional("reopenableUntil", date, "Reopen until."),
        .optional("rating", .integer(minimum: 1, maximum: 5), "Your rating."),
        .required("steps", .array(of: .object([
            .required("action", .text(maxLength: 50), "Step."),
            .required("status", .enumeration(CaseStatus.self), "Status after it."),
            .required("at", dateTime, "When."),
        ])), "Steps so far."),
    ])

    static let statistics: JSONSchema = .object([
        .required("respondents", .array(of: .object([
            .required("respondentKey", .text(maxLength: 210), "Credit code, or name: + the name as given."),
            .optional("respondentCreditCode", .creditCode, "Credit code."),
            .optional("respondentName", .text(maxLength: 200), "Name as given."),
            .required("cases", .count, "Cases, duplicates not counted."),
            .required("complaints", .count, "Complaints."),
            .required("reports", .count, "Reports."),
            .required("consultations", .count, "Consultations."),
            .required("duplicates", .count, "Duplicates linked to those cases."),
            .required("open", .count, "Not closed."),
            .required("mediated", .count, "Settled or mediated."),
            .required("notAccepted", .count, "Not accepted."),
            .required("overdue", .count, "With a breached deadline."),
            .required("amountInDispute", fen, "Total amount in dispute."),
        ])), "Respondents, most cases first."),
    ])

    static let odrEntry: JSONSchema = .object([
        .required("creditCode", .creditCode, "The enterprise."),
        .optional("enterpriseName", .text(maxLength: 200), "Its name, when the catalogue or a pilot region knows it."),
        .required("enrolledOn", date, "The day its undertaking took effect."),
        .required("enrolledBy", .text(maxLength: 200), "The regulator who enrolled it."),
        .required("enrolledAt", dateTime, "When."),
    ])

    static let listQuery: [OpenAPIRoute.QueryParameter] = [
        .init("regionCode", .divisionCode, "Only this region's (and below)"),
        .init("respondent", .text(maxLength: 200), "Only this respondent's (credit code or name)"),
        .init("status", .enumeration(CaseStatus.self), "Only this status"),
        .init("kind", .enumeration(ComplaintKind.self), "Only this kind"),
        .init("dueBefore", date, "Only cases whose running deadline is on or before this day"),
        .init("overdue", .boolean, "Only breached (true) or unbreached (false) running deadlines"),
        .init("limit", .integer(minimum: 1, maximum: 500), "1–500, default 100"),
        .init("offset", .integer(minimum: 0, maximum: 100_000), "Paging offset"),
    ]

    static let routes: [OpenAPIRoute] = [
        OpenAPIRoute("put", "/regions/{code}/complaint-channels", "Publish a pilot region's complaint channels (its official)",
                     roles: [.ministry, .regionOfficial], requestBody: channelsInput, response: channels, problems: [404]),
        OpenAPIRoute("get", "/public/regions/{code}/complaint-channels", "How to complain in a region (public, no account)",
                     response: channels, problems: [404]),
        OpenAPIRoute("post", "/cases", "File a consultation, complaint or report (no account needed for the web form)",
                     requestBody: caseInput, success: 201, response: receipt, problems: [403]),
        OpenAPIRoute("get", "/cases", "Cases the caller handles or oversees, newest first", roles: handlers, query: listQuery,
                     response: .object([.required("cases", .array(of: caseView), "Cases.")])),
        OpenAPIRoute("get", "/cases/{id}", "One case, if the caller handles or oversees it", roles: handlers, response: caseView,
                     problems: [404]),
        OpenAPIRoute("post", "/cases/{id}/transitions", "Move a case routed to the caller through the workflow",
                     roles: [.marketRegulator, .ministry], requestBody: transitionInput, response: caseView, problems: [404, 409]),
        OpenAPIRoute("put", "/odr-enterprises/{creditCode}",
                     "Enrol an enterprise in online dispute resolution (a market regulator of its registration division, or SAMR)",
                     roles: [.marketRegulator, .ministry],
                     requestBody: .object([.optional("enrolledOn", date, "The day its undertaking takes effect; today when absent.")]),
                     response: odrEntry),
        OpenAPIRoute("delete", "/odr-enterprises/{creditCode}", "Take an enterprise off the online-dispute-resolution roll",
                     roles: [.marketRegulator, .ministry], success: 204, problems: [404]),
        OpenAPIRoute("get", "/public/odr-enterprises",
                     "The enterprises enrolled in online dispute resolution: firm-first settlement is for them (public)",
                     response: .object([.required("enterprises", .array(of: odrEntry), "By credit code.")])),
        OpenAPIRoute("get", "/statistics/respondents", "Cases per respondent (duplicates counted once)", roles: handlers,
                     query: listQuery, response: statistics),
        OpenAPIRoute("get", "/public/cases/{caseNumber}", "Follow a case by its number and secret (public)",
                     headers: [secretHeader], response: publicView, problems: [404]),
        OpenAPIRoute("post", "/public/cases/{caseNumber}/rating", "Rate a closed case's outcome (complainant)",
                     headers: [secretHeader],
                     requestBody: .object([.required("rating", .integer(minimum: 1, maximum: 5), "1 to 5."),
                                           .optional("comment", .text(maxLength: 1000), "Comment.")]),
                     response: publicView, problems: [404, 409]),
        OpenAPIRoute("post", "/public/cases/{caseNumber}/reopening", "Reopen a closed complaint within the period (complainant)",
                     headers: [secretHeader], requestBody: .object([.required("reason", .text(maxLength: 1000), "Why.")]),
                     response: publicView, problems: [404, 409]),
    ]

    static let document = OpenAPIDocument(
        title: "complaints", version: "1.0.0",
        description: "Consumer consultations, complaints and reports of the 绿色建材下乡 campaign, with SAMR's working-day deadlines.",
        routes: routes).merging(Open311OpenAPI.document)
}
