import Contracts
import Foundation
import ServiceTestSupport
@testable import Reporting

/// Test data with valid check characters, and events as their owners publish them.
enum Sample {
    /// A valid credit code registered in `region` (6 digits) with a random organisation part.
    static func creditCode(region: String) -> UnifiedSocialCreditCode {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let organisation = String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let prefix = "91" + region + organisation
        return UnifiedSocialCreditCode(rawValue: prefix + String(try! UnifiedSocialCreditCode.checkCharacter(forFirst17: prefix)))!
    }

    static func certificate() -> CertificateNumber { CertificateNumber(rawValue: "CGBM-T-" + UUID().uuidString.prefix(8).uppercased())! }
    static func id() -> String { UUID().uuidString.lowercased() }
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func noon(_ day: String) -> Date { TestClock.noon(day) }

    /// The CloudEvent its owner would publish for `payload`.
    static func event<Payload: EventPayload>(_ payload: Payload, id: String = Sample.id()) -> CloudEvent {
        var event = try! CloudEvent(payload: payload)
        event.id = id
        return event
    }
}

/// A pilot city's campaign as its events, with the figures they must give. The city is `region` (`33cc00`), one
/// of its counties `county` (`33cc03`) and one of that county's towns `town`. Neither Hangzhou (`330100`) nor
/// Wenzhou (`330300`): other suites publish to the shared topics for them (and for Wenzhou's districts, `3303xx`), and a
/// script read back from the topics must be alone in its city.
struct CampaignScript {
    let region: String
    let county: String
    let town: String
    private(set) var events: [CloudEvent] = []

    init(city: Int = [2, 4, 5, 6, 7, 8, 9, 10, 11].randomElement()!) {
        region = "33" + String(format: "%02d", city) + "00"
        county = String(region.prefix(4)) + "03"
        town = county + "001"
        build()
    }

    private mutating func add<Payload: EventPayload>(_ payload: Payload) { events.append(Sample.event(payload)) }

    private mutating func build() {
        let region = DivisionCode(rawValue: self.region)!
        let county = DivisionCode(rawValue: self.county)!
        let town = DivisionCode(rawValue: self.town)!

        var approved = RegionApproved.example
        approved.regionCode = region
        approved.regionName = "试点城市"
        approved.batchYear = 2023
        approved.approvedOn = Sample.day("2023-03-01")
        approved.approvedAt = Sample.noon("2023-03-01")
        add(approved)

        var launch = RegionLaunchMeetingHeld.example
        launch.regionCode = region
        launch.placeCode = region
        launch.heldOn = Sample.day("2023-04-01")
        launch.attendance = 300
        add(launch)

        let activities = [Sample.id(), Sample.id(), Sample.id()]
        for (activity, day) in zip(activities, ["2023-05-10", "2023-06-01", "2023-06-15"]) {
            add(ActivityScheduled(
                activityID: activity, regionCode: region, type: .publicLecture, mode: .offline, level: .county,
                placeCode: county, title: "绿色建材下乡宣讲", startsOn: Sample.day(day), endsOn: Sample.day(day),
                actorRole: .regionalOfficial, scheduledAt: Sample.noon("2023-04-20")))
        }
        add(ActivityRescheduled(
            activityID: activities[1], regionCode: region, previousStartsOn: Sample.day("2023-06-01"),
            previousEndsOn: Sample.day("2023-06-01"), startsOn: Sample.day("2023-06-08"), endsOn: Sample.day("2023-06-08"),
            reason: "天气", actorRole: .regionalOfficial, rescheduledAt: Sample.noon("2023-05-20")))
        add(ActivityHeld(
            activityID: activities[0], regionCode: region, type: .publicLecture, level: .county, placeCode: county,
            startsOn: Sample.day("2023-05-10"), endsOn: Sample.day("2023-05-10"), attendance: 120, enterprisesPresent: 8,
            productsShown: 40, sales: Fen(500_000), onlinePageViews: 0, actorRole: .regionalOfficial,
            recordedAt: Sample.noon("2023-05-11")))
        add(ActivityHeld(
            activityID: activities[1], regionCode: region, type: .roadshow, level: .town, placeCode: town,
            startsOn: Sample.day("2023-06-08"), endsOn: Sample.day("2023-06-08"), attendance: 80, enterprisesPresent: 5,
            productsShown: 20, sales: Fen(250_000), onlinePageViews: 0, actorRole: .regionalOfficial,
            recordedAt: Sample.noon("2023-06-09")))
        add(ActivityCancelled(
            activityID: activities[2], regionCode: region, reason: "场地", actorRole: .regionalOfficial,
            cancelledAt: Sample.noon("2023-06-10")))

        let participants = [Sample.id(), Sample.id(), Sample.id()]
        for (participant, kind) in zip(participants, [EnterpriseKind.store, .store, .eCommercePlatform]) {
            var enrolled = ParticipantEnrolled.example
            enrolled.participantID = participant
            enrolled.regionCode = region
            enrolled.creditCode = Sample.creditCode(region: self.county)
            enrolled.kind = kind
            enrolled.enrolledAt = Sample.noon("2023-04-10")
            add(enrolled)
        }
        add(ParticipantWithdrawn(
            participantID: participants[1], regionCode: region, creditCode: Sample.creditCode(region: self.county),
            reason: "停业", actorRole: .regionalOfficial, withdrawnAt: Sample.noon("2023-07-01")))

        let holder = Sample.creditCode(region: self.county)
        let certificates = [Sample.certificate(), Sample.certificate()]
        for (certificate, grade) in zip(certificates, [StarGrade.threeStar, .twoStar]) {
            var issued = CertificateIssued.example
            issued.certificateNumber = certificate
            issued.holderCreditCode = holder
            issued.starGrade = grade
            issued.issuedOn = Sample.day("2023-02-01")
            issued.issuedAt = Sample.noon("2023-02-01")
            add(issued)
        }
        add(CertificateRevoked(
            certificateNumber: certificates[1], holderCreditCode: holder, previousStatus: .valid, reason: "抽检不合格",
            actorRole: .certificationBody, revokedAt: Sample.noon("2023-08-01")))
        add(CertificateFlagged(
            certificateNumber: certificates[0], holderCreditCode: holder, productName: "岩棉板", violationReportID: Sample.id(),
            violationKind: .productDoesNotMatchCertificate, flaggedAt: Sample.noon("2023-08-05")))

        let entries = [Sample.id(), Sample.id()]
        for entry in entries {
            var added = LocalListEntryAdded.example
            added.regionCode = region
            added.entryID = entry
            added.addedAt = Sample.noon("2023-04-20")
            add(added)
        }
        add(LocalListEntryRemoved(
            regionCode: region, entryID: entries[0], reason: "企业申请", actorRole: .regionalOfficial,
            removedAt: Sample.noon("2023-09-10")))

        let programme = Sample.id()
        var programmeApproved = ProgrammeApproved.example
        programmeApproved.programmeID = programme
        programmeApproved.regionCode = region
        programmeApproved.budget = Fen(10_000_000)
        programmeApproved.approvedAt = Sample.noon("2023-05-01")
        add(programmeApproved)
        add(ProgrammeBudgetChanged(
            programmeID: programme, regionCode: region, previousBudget: Fen(10_000_000), budget: Fen(12_000_000),
            reason: "追加", actorRole: .ministryOfficial, changedAt: Sample.noon("2023-07-15")))

        let claims = [Sample.id(), Sample.id(), Sample.id()]
        for claim in claims {
            var submitted = ClaimSubmitted.example
            submitted.claimID = claim
            submitted.programmeID = programme
            submitted.regionCode = region
            submitted.purchaseAmount = Fen(100_000)
            submitted.requestedAmount = Fen(12_000)
            submitted.submittedAt = Sample.noon("2023-06-10")
            add(submitted)
        }
        for claim in claims.prefix(2) {
            var approvedClaim = ClaimApproved.example
            approvedClaim.claimID = claim
            approvedClaim.programmeID = programme
            approvedClaim.regionCode = region
            approvedClaim.approvedAmount = Fen(12_000)
            approvedClaim.approvedAt = Sample.noon("2023-06-10")
            add(approvedClaim)
            var paid = ClaimPaid.example
            paid.claimID = claim
            paid.programmeID = programme
            paid.regionCode = region
            paid.amount = Fen(12_000)
            paid.paidAt = Sample.noon("2023-07-03")
            add(paid)
        }
        var rejected = ClaimRejected.example
        rejected.claimID = claims[2]
        rejected.programmeID = programme
        rejected.regionCode = region
        rejected.rejectedAt = Sample.noon("2023-06-10")
        add(rejected)
        var clawedBack = ClaimClawedBack.example
        clawedBack.claimID = claims[0]
        clawedBack.programmeID = programme
        clawedBack.regionCode = region
        clawedBack.amount = Fen(12_000)
        clawedBack.clawedBackAt = Sample.noon("2023-09-01")
        add(clawedBack)

        var loan = LoanInterestSubsidyGranted.example
        loan.subsidyID = Sample.id()
        loan.programmeID = programme
        loan.regionCode = region
        loan.grantedAmount = Fen(30_000)
        loan.loanPrincipal = Fen(1_000_000)
        loan.grantedAt = Sample.noon("2023-08-20")
        add(loan)

        addComplaints(region: region, county: county)
    }

    /// Two complaints (one mediated across the National Day holiday, one whose mediation ended without agreement),
    /// a consultation answered and reopened, a report on which a case was opened, a breached deadline and a
    /// certification violation.
    private mutating func addComplaints(region: DivisionCode, county: DivisionCode) {
        let mediated = Sample.id()
        let terminated = Sample.id()
        let consultation = Sample.id()
        for (complaint, kind, day) in [(mediated, ComplaintKind.complaint, "2023-09-27"), (terminated, .complaint, "2023-10-16"),
                                       (consultation, .consultation, "2023-11-06")] {
            var received = ComplaintReceived.example
            received.complaintID = complaint
            received.regionCode = region
            received.handlingDivision = county
            received.kind = kind
            received.receivedOn = Sample.day(day)
            received.receivedAt = Sample.noon(day)
            add(received)
        }
        for (complaint, day) in [(mediated, "2023-09-28"), (terminated, "2023-10-17")] {
            add(ComplaintAccepted(
                complaintID: complaint, regionCode: region, acceptedOn: Sample.day(day),
                mediationDueOn: Self.calendar.addingWorkingDays(45, to: Sample.day(day)), actorRole: .marketRegulator,
                acceptedAt: Sample.noon(day)))
            add(ComplaintMediationStarted(
                complaintID: complaint, regionCode: region, mediator: "西湖区市场监管局", mediationDueOn: Sample.day("2023-12-01"),
                actorRole: .marketRegulator, startedAt: Sample.noon(day)))
        }
        // Mediated after the holiday (29 September – 6 October; 7 and 8 October were working days): received
        // 27 September, closed 10 October = 5 working days (28 Sep, 7, 8, 9, 10 Oct).
        add(ComplaintMediated(
            complaintID: mediated, regionCode: region, agreement: "退货退款", compensation: Fen(5_000), bySettlement: false,
            mediatedOn: Sample.day("2023-10-09"), withinDeadline: true, actorRole: .marketRegulator,
            mediatedAt: Sample.noon("2023-10-09")))
        add(ComplaintClosed(
            complaintID: mediated, regionCode: region, outcome: .mediated, reopenableUntil: Sample.day("2023-10-24"),
            actorRole: .marketRegulator, closedAt: Sample.noon("2023-10-10")))
        // Received 16 October, closed 2 November = 13 working days.
        add(ComplaintMediationTerminated(
            complaintID: terminated, regionCode: region, reason: "经营者拒绝调解", terminatedOn: Sample.day("2023-11-01"),
            partiesToldBy: Sample.day("2023-11-06"), actorRole: .marketRegulator, terminatedAt: Sample.noon("2023-11-01")))
        add(ComplaintClosed(
            complaintID: terminated, regionCode: region, outcome: .mediationTerminated, reopenableUntil: Sample.day("2023-11-16"),
            actorRole: .marketRegulator, closedAt: Sample.noon("2023-11-02")))
        add(ComplaintDeadlineBreached(
            complaintID: terminated, regionCode: region, handlingDivision: county, deadline: .mediation,
            dueOn: Sample.day("2023-10-31"), detectedAt: Sample.noon("2023-11-01")))
        // Answered, then reopened: open again, not handled.
        add(ComplaintClosed(
            complaintID: consultation, regionCode: region, outcome: .answered, reopenableUntil: Sample.day("2023-11-21"),
            actorRole: .marketRegulator, closedAt: Sample.noon("2023-11-07")))
        add(ComplaintReopened(
            complaintID: consultation, regionCode: region, reason: "答复不清", acceptanceDueOn: Sample.day("2023-11-17"),
            actorRole: .consumer, reopenedAt: Sample.noon("2023-11-08")))

        let report = Sample.id()
        var reported = ReportReceived.example
        reported.reportID = report
        reported.regionCode = region
        reported.handlingDivision = county
        reported.receivedOn = Sample.day("2023-10-20")
        reported.receivedAt = Sample.noon("2023-10-20")
        add(reported)
        add(ReportCaseOpened(
            reportID: report, regionCode: region, openedOn: Sample.day("2023-10-25"), actorRole: .marketRegulator,
            openedAt: Sample.noon("2023-10-25")))
        var violation = CertificationViolationReported.example
        violation.reportID = report
        violation.regionCode = region
        violation.violationKind = .falseCertificationClaim
        violation.reportedAt = Sample.noon("2023-10-25")
        add(violation)
    }

    static let calendar = WorkingDayCalendar.china2023

    /// What the region's overview must say on 2023-11-20 ("metric|dimension" → value).
    static let expectedOverview: [String: Int] = [
        "regions.approved|2023": 1,
        "regions.launch-meetings|": 1,
        "regions.launch-meeting-attendance|": 300,
        "activities.scheduled|": 3,
        "activities.cancelled|": 1,
        "activities.held|public-lecture/county": 1,
        "activities.held|roadshow/town": 1,
        "activities.attendance|public-lecture/county": 120,
        "activities.attendance|roadshow/town": 80,
        "activities.sales|public-lecture/county": 500_000,
        "activities.sales|roadshow/town": 250_000,
        "participants.enrolled|store": 2,
        "participants.enrolled|e-commerce-platform": 1,
        "participants.withdrawn|": 1,
        "participants.active|store": 1,
        "participants.active|e-commerce-platform": 1,
        "certificates.issued|three-star": 1,
        "certificates.issued|two-star": 1,
        "certificates.valid|": 1,
        "certificates.withdrawn|revoked": 1,
        "products.under-investigation|": 1,
        "local-list.entries|": 1,
        "programmes.budget|": 12_000_000,
        "claims|submitted": 3,
        "claims|approved": 2,
        "claims|rejected": 1,
        "claims|paid": 2,
        "claims|clawed-back": 1,
        "subsidy.requested|": 36_000,
        "subsidy.purchases|": 300_000,
        "subsidy.approved|": 24_000,
        "subsidy.paid|": 24_000,
        "subsidy.clawed-back|": 12_000,
        "loans.granted|": 1,
        "loans.subsidy-granted|": 30_000,
        "loans.principal|": 1_000_000,
        "complaints.received|complaint": 2,
        "complaints.received|consultation": 1,
        "complaints.received|report": 1,
        "complaints.progress|accepted": 2,
        "complaints.progress|mediation-started": 2,
        "complaints.progress|mediated": 1,
        "complaints.progress|mediation-terminated": 1,
        "complaints.progress|reopened": 1,
        "complaints.progress|case-opened": 1,
        "complaints.closed|mediated": 1,
        "complaints.closed|mediation-terminated": 1,
        "complaints.closed|answered": 1,
        "complaints.open|complaint": 0,
        "complaints.open|consultation": 1,
        "complaints.open|report": 1,
        "complaints.handled|complaint": 2,
        "complaints.handling-working-days|complaint": 18,
        "complaints.deadline-breaches|mediation": 1,
        "complaints.compensation|": 5_000,
        "complaints.certification-violations|false-certification-claim": 1,
    ]

    /// What the region's overview must say of complaint handling on 2023-11-20.
    static let expectedComplaintHandling: [String: Int] = [
        "received": 4, "open": 2, "handled": 2, "handlingWorkingDays": 18, "averageHandlingHundredthsOfWorkingDay": 900,
        "mediated": 1, "mediationTerminated": 1, "mediationSuccessBasisPoints": 5_000, "deadlineBreaches": 1,
    ]
}
