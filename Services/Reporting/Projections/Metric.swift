/// What the projections count, each metric once: its name in the API, its unit, what its dimension means and what
/// one fact of it is. A metric's value on a day is the sum of its facts up to that day (a *stock* has facts of
/// both signs, such as valid certificates; a *flow* only positive ones, such as activities held).
public enum Metric: String, Sendable, CaseIterable, Codable {
    // catalogue
    case enterprisesRegistered = "enterprises.registered"
    case certificatesIssued = "certificates.issued"
    case certificatesValid = "certificates.valid"
    case certificatesWithdrawn = "certificates.withdrawn"
    case certificatesRenewed = "certificates.renewed"
    case productsUnderInvestigation = "products.under-investigation"
    case localListEntries = "local-list.entries"
    case localListAdded = "local-list.added"
    case localListRequirements = "local-list.requirements"
    // pilot-management
    case regionsApplied = "regions.applied"
    case regionsApproved = "regions.approved"
    case launchMeetings = "regions.launch-meetings"
    case launchMeetingAttendance = "regions.launch-meeting-attendance"
    case reportDeadlinesMissed = "regions.report-deadlines-missed"
    case activitiesScheduled = "activities.scheduled"
    case activitiesCancelled = "activities.cancelled"
    case activitiesHeld = "activities.held"
    case attendance = "activities.attendance"
    case activitySales = "activities.sales"
    case enterprisesPresent = "activities.enterprises-present"
    case onlinePageViews = "activities.online-page-views"
    case participantsEnrolled = "participants.enrolled"
    case participantsWithdrawn = "participants.withdrawn"
    case participantsActive = "participants.active"
    // subsidy
    case programmesApproved = "programmes.approved"
    case programmesOpened = "programmes.opened"
    case programmesExhausted = "programmes.exhausted"
    case programmesClosed = "programmes.closed"
    case budget = "programmes.budget"
    case claims = "claims"
    case claimReviews = "claims.reviews"
    case purchases = "subsidy.purchases"
    case subsidyRequested = "subsidy.requested"
    case subsidyApproved = "subsidy.approved"
    case subsidyPaid = "subsidy.paid"
    case subsidyClawedBack = "subsidy.clawed-back"
    case loansGranted = "loans.granted"
    case loanSubsidyGranted = "loans.subsidy-granted"
    case loanPrincipal = "loans.principal"
    case paymentsMade = "payments.made"
    case paymentsFailed = "payments.failed"
    // complaints
    case complaintsReceived = "complaints.received"
    case complaintsProgress = "complaints.progress"
    case complaintsClosed = "complaints.closed"
    case complaintsOpen = "complaints.open"
    case complaintsHandled = "complaints.handled"
    case complaintsHandlingWorkingDays = "complaints.handling-working-days"
    case complaintsDeadlineBreaches = "complaints.deadline-breaches"
    case complaintsCompensation = "complaints.compensation"
    case certificationViolations = "complaints.certification-violations"
    case complaintChannelsPublished = "complaints.channels-published"
    // the projections themselves
    case eventsIgnored = "events.ignored"

    /// `count` or `fen` (integer fen, never floating point).
    public var unit: MetricUnit {
        switch self {
        case .activitySales, .budget, .purchases, .subsidyRequested, .subsidyApproved, .subsidyPaid, .subsidyClawedBack,
             .loanSubsidyGranted, .loanPrincipal, .paymentsMade, .complaintsCompensation:
            .fen
        default:
            .count
        }
    }

    /// What the dimension of its facts is ('' when it has none).
    public var dimension: String {
        switch self {
        case .enterprisesRegistered, .participantsEnrolled, .participantsActive: "enterprise kind"
        case .certificatesIssued, .certificatesRenewed: "star grade"
        case .certificatesWithdrawn: "withdrawal: suspended, revoked, cancelled or expired"
        case .localListAdded: "basis: certified or technical requirement"
        case .localListRequirements: "product category"
        case .regionsApproved: "batch year"
        case .activitiesHeld, .attendance, .activitySales, .enterprisesPresent, .onlinePageViews: "activity type/level"
        case .programmesApproved: "subsidy kind"
        case .claims: "state reached: submitted, held, approved, rejected, paid, clawed-back, payment-overdue"
        case .claimReviews: "decision"
        case .paymentsMade, .paymentsFailed: "payment purpose"
        case .complaintsReceived, .complaintsOpen, .complaintsHandled, .complaintsHandlingWorkingDays:
            "kind: consultation, complaint or report"
        case .complaintsProgress:
            "step reached: accepted, not-accepted, transferred, settlement-started, mediation-started, settled, mediated, mediation-terminated, reopened, case-opened, case-declined"
        case .complaintsClosed: "outcome"
        case .complaintsDeadlineBreaches: "deadline: acceptance, settlement, mediation, termination-notice, report-decision"
        case .certificationViolations: "violation kind"
        case .eventsIgnored: "event type"
        default: ""
        }
    }

    /// One sentence on what a fact of it is and where it comes from.
    public var summary: String {
        switch self {
        case .enterprisesRegistered: "Enterprises registered in the catalogue's directory (their registered division)."
        case .certificatesIssued: "Certificates issued (the holder's registration division, from its credit code)."
        case .certificatesValid: "Certified products with a valid certificate: +1 issued or restored, -1 suspended, revoked, cancelled or expired."
        case .certificatesWithdrawn: "Certificates suspended, revoked, cancelled or expired."
        case .certificatesRenewed: "Certificates renewed."
        case .productsUnderInvestigation: "Certified products flagged by a certification-violation report and not yet cleared."
        case .localListEntries: "Entries on regional local lists: +1 added, -1 removed."
        case .localListAdded: "Entries added to regional local lists."
        case .localListRequirements: "Technical requirements published for local lists."
        case .regionsApplied: "Pilot applications submitted."
        case .regionsApproved: "Pilot regions approved (on the approval day)."
        case .launchMeetings: "Launch meetings held."
        case .launchMeetingAttendance: "Attendance at launch meetings."
        case .reportDeadlinesMissed: "Summary report deadlines missed, as pilot-management detected them."
        case .activitiesScheduled: "Activities scheduled (in the pilot region, on their first day; a rescheduling moves them)."
        case .activitiesCancelled: "Activities cancelled (on the cancellation day)."
        case .activitiesHeld: "Activities held (at their place, on their first day)."
        case .attendance: "Attendance at activities held."
        case .activitySales: "Sales recorded at activities held, in fen."
        case .enterprisesPresent: "Enterprises present at activities held."
        case .onlinePageViews: "Page views of online activities held."
        case .participantsEnrolled: "Enterprises, e-commerce platforms and stores enrolled."
        case .participantsWithdrawn: "Participants withdrawn."
        case .participantsActive: "Participants enrolled and not withdrawn."
        case .programmesApproved: "Subsidy programmes approved."
        case .programmesOpened: "Subsidy programmes opened."
        case .programmesExhausted: "Subsidy programmes whose budget ran out."
        case .programmesClosed: "Subsidy programmes closed."
        case .budget: "Subsidy programme budgets, in fen: approved budgets and their changes."
        case .claims: "Purchase subsidy claims reaching each state."
        case .claimReviews: "Reviews of held claims."
        case .purchases: "Purchase amounts of submitted claims, in fen."
        case .subsidyRequested: "Subsidy requested by submitted claims, in fen."
        case .subsidyApproved: "Subsidy approved, in fen."
        case .subsidyPaid: "Subsidy paid on claims, in fen."
        case .subsidyClawedBack: "Subsidy clawed back, in fen."
        case .loansGranted: "Loan interest subsidies granted."
        case .loanSubsidyGranted: "Loan interest subsidy granted, in fen."
        case .loanPrincipal: "Loan principal of granted loan interest subsidies, in fen."
        case .paymentsMade: "Payments made, in fen."
        case .paymentsFailed: "Payment attempts that failed."
        case .complaintsReceived: "Complaints, consultations and reports (举报) received (in the pilot region, on the day of receipt)."
        case .complaintsProgress: "Steps complaints and reports reached: acceptance, refusal, transfer, settlement, mediation and its end, reopening, a case opened or declined."
        case .complaintsClosed: "Complaints and consultations closed, by outcome."
        case .complaintsOpen: "Cases received and not closed (a reopened case is open again)."
        case .complaintsHandled: "Closed cases whose receipt is known, on the day of their latest closure: the divisor of the average handling time."
        case .complaintsHandlingWorkingDays: "Working days from receipt to the latest closure of the cases handled, summed (divide by complaints.handled for the average)."
        case .complaintsDeadlineBreaches: "Statutory complaint deadlines breached (on the day that was due)."
        case .complaintsCompensation: "Compensation agreed in mediation or settlement, in fen."
        case .certificationViolations: "Certification violations reported to the certification bodies and the catalogue."
        case .complaintChannelsPublished: "Complaint channels (hotline, 12315 handover, online and office addresses) published or changed by pilot regions."
        case .eventsIgnored: "Consumed events the projections have no use for (unknown types included), nationally."
        }
    }
}

/// What a metric's values are: a number of things, or money in integer fen.
public enum MetricUnit: String, Sendable, CaseIterable, Codable {
    case count, fen
}
