/// Every topic and event type of the system, defined once: producers and consumers both use these values.
public enum EventCatalogue {
    /// The topics of the published contract, grouped by owner.
    public static let topics: [Topic] = [
        .catalogueEnterprises, .catalogueCertificates, .catalogueLocalLists,
        .pilotRegions, .pilotActivities, .pilotParticipants,
        .subsidyProgrammes, .subsidyClaims, .subsidyLoanInterestSubsidies, .subsidyPayments,
        .complaintsComplaints, .complaintsReports,
        .reportingReports,
    ]

    /// The payload types of the published contract, in topic order.
    public static let payloadTypes: [any EventPayload.Type] = [
        // gbm.catalogue.enterprises.v1
        EnterpriseRegistered.self, EnterpriseUpdated.self,
        // gbm.catalogue.certificates.v1
        CertificateIssued.self, CertificateRenewed.self, CertificateSuspended.self, CertificateRestored.self,
        CertificateRevoked.self, CertificateCancelled.self, CertificateExpired.self,
        CertificateFlagged.self, CertificateFlagCleared.self,
        // gbm.catalogue.local-lists.v1
        LocalListEntryAdded.self, LocalListEntryRemoved.self, LocalListRequirementPublished.self,
        // gbm.pilot.regions.v1
        RegionApplicationSubmitted.self, RegionReviewRecorded.self, RegionApproved.self, RegionRejected.self,
        RegionReturned.self, RegionLaunchMeetingHeld.self, RegionReportReminderSent.self,
        RegionReportDeadlineMissed.self,
        // gbm.pilot.activities.v1
        ActivityScheduled.self, ActivityRescheduled.self, ActivityHeld.self, ActivityCancelled.self,
        // gbm.pilot.participants.v1
        ParticipantEnrolled.self, ParticipantWithdrawn.self,
        // gbm.subsidy.programmes.v1
        ProgrammeApproved.self, ProgrammeOpened.self, ProgrammeBudgetChanged.self, ProgrammeExhausted.self,
        ProgrammeClosed.self,
        // gbm.subsidy.claims.v1
        ClaimSubmitted.self, ClaimApproved.self, ClaimRejected.self, ClaimHeld.self, ClaimReviewed.self, ClaimPaid.self,
        ClaimPaymentOverdue.self, ClaimClawedBack.self,
        // gbm.subsidy.loan-interest-subsidies.v1
        LoanInterestSubsidyGranted.self,
        // gbm.subsidy.payments.v1
        PaymentMade.self, PaymentFailed.self,
        // gbm.complaints.complaints.v1
        ComplaintReceived.self, ComplaintAccepted.self, ComplaintNotAccepted.self, ComplaintSettlementStarted.self,
        ComplaintMediationStarted.self, ComplaintMediated.self, ComplaintMediationTerminated.self, ComplaintClosed.self,
        ComplaintReopened.self, ComplaintTransferred.self, ComplaintDeadlineBreached.self, ComplaintChannelsPublished.self,
        // gbm.complaints.reports.v1
        ReportReceived.self, ReportCaseOpened.self, ReportCaseDeclined.self, CertificationViolationReported.self,
        // gbm.reporting.reports.v1
        SummaryReportSubmitted.self, SummaryReportAcknowledged.self, SummaryReportCorrected.self,
    ]

    /// The event types of the published contract, in topic order.
    public static let eventTypes: [EventType] = payloadTypes.map { $0.eventType }

    /// Topics and payloads of the platform itself (`gbm.platform.probes.v1`), kept apart from the contract.
    public static let platformTopics: [Topic] = [.platformProbes]
    public static let platformPayloadTypes: [any EventPayload.Type] = [ProbeSent.self]

    /// Contract and platform event types together.
    public static let allEventTypes: [EventType] = eventTypes + platformPayloadTypes.map { $0.eventType }

    private static let payloadTypesByName: [String: any EventPayload.Type] = Dictionary(
        uniqueKeysWithValues: (payloadTypes + platformPayloadTypes).map { ($0.eventType.name, $0) })

    /// The event type called `name` (contract or platform), or nil.
    public static func eventType(named name: String) -> EventType? {
        payloadTypesByName[name]?.eventType
    }

    /// The payload type of the event type called `name` (contract or platform), or nil.
    public static func payloadType(named name: String) -> (any EventPayload.Type)? {
        payloadTypesByName[name]
    }

    /// The contract topics `service` publishes to (platform topics excluded).
    public static func topics(ownedBy service: ServiceName) -> [Topic] {
        topics.filter { $0.owner == service }
    }

    /// Checks an event's payload against its type's schema; an unknown type is a violation too.
    public static func validate(_ event: CloudEvent) -> [SchemaViolation] {
        guard let payloadType = payloadType(named: event.type) else {
            return [SchemaViolation(path: "", message: "unknown event type '\(event.type)'")]
        }
        return payloadType.validate(json: event.data)
    }
}

extension EventPayload {
    /// Checks JSON bytes against this type's schema.
    public static func validate(json bytes: [UInt8]) -> [SchemaViolation] {
        let instance: JSONValue
        do {
            instance = try JSONValue(parsing: bytes)
        } catch {
            return [SchemaViolation(path: "", message: error.description)]
        }
        return JSONSchemaValidator.validate(instance, against: schemaDocument)
    }
}
