import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Takes consultations, complaints and reports in: checks the region, flags references the service does not know
/// (respondent, certificate, subsidy claim), links duplicates (the same complainant, respondent and facts within
/// ``ComplaintsSettings/duplicateWindowDays``), routes the case to the market regulator of its county (or region),
/// starts its first deadline, stores its attachments and announces it, in one transaction. The complainant's name,
/// phone and ID number are kept only hashed (``consumer_ref``), masked and encrypted; events carry the hash.
struct CaseDesk: Sendable {
    let context: ComplaintsContext

    /// What the complainant keeps to follow the case without an account: shown once, stored only hashed.
    struct Receipt: ResponseEncodable, Codable, Sendable {
        var id: String
        var caseNumber: String
        var secret: String
        var status: CaseStatus
        var handlingDivision: String
        var dueOn: CalendarDate?
        var duplicateOf: String?
        var flags: [String]
    }

    /// Who filed the case: the token's subject, or nil for an anonymous web form; `actor` is the role its history
    /// records (the principal's, ``Principal/actorRole``; a consumer for the web form and the Open311 facade).
    func receive(_ intake: Intake, submittedBy subject: String?, actor: ActorRole = .consumer) async throws -> Receipt {
        let id = UUID()
        let now = context.clock.now()
        let today = WorkingDayCalendar.day(of: now)
        let settings = context.settings
        let personalData = context.service.personalData
        let consumerRef = personalData.matchingHash(intake.idNumber.map { $0.rawValue } ?? "phone:" + intake.phone)
        let secret = Self.newSecret()
        var contact = ["name": intake.name, "phone": intake.phone]
        if let idNumber = intake.idNumber { contact["idNumber"] = idNumber.rawValue }
        let contactEncrypted = try personalData.encrypt(String(decoding: try JSONEncoder().encode(contact), as: UTF8.self))
        let due: (ComplaintDeadline, CalendarDate)? = switch intake.kind {
        case .complaint: (.acceptance, settings.workingDays.addingWorkingDays(settings.acceptanceWorkingDays, to: today))
        case .report: (.reportDecision, settings.workingDays.addingWorkingDays(settings.reportDecisionWorkingDays, to: today))
        case .consultation: nil
        }
        return try await context.pool.transaction { connection in
            // What the intake needs to know, in one round trip: the region, the references, an earlier case of the
            // same complainant, respondent and facts, and the next case number (taken only for an approved region).
            let known = try await connection.query("""
                SELECT EXISTS (SELECT 1 FROM pilot_region WHERE region_code = \(intake.region.rawValue)) AS region,
                       EXISTS (SELECT 1 FROM known_enterprise WHERE credit_code = \(intake.respondent?.rawValue)) AS respondent,
                       EXISTS (SELECT 1 FROM known_certificate WHERE number = \(intake.certificate?.rawValue)) AS certificate,
                       EXISTS (SELECT 1 FROM known_claim WHERE claim_id = \(intake.claimID)) AS claim,
                       earlier.id AS earlier_id, earlier.duplicate_of AS earlier_duplicate_of,
                       CASE WHEN EXISTS (SELECT 1 FROM pilot_region WHERE region_code = \(intake.region.rawValue))
                            THEN nextval('case_number_seq') END AS sequence
                FROM (SELECT 1) AS one
                LEFT JOIN LATERAL (
                    SELECT id, duplicate_of FROM complaint_case
                    WHERE consumer_ref = \(consumerRef) AND respondent_key = \(intake.respondentKey)
                      AND facts_hash = \(intake.factsHash) AND kind = \(intake.kind.rawValue)
                      AND received_at >= \(now.addingTimeInterval(-Double(settings.duplicateWindowDays) * 86_400))
                    ORDER BY received_at LIMIT 1) AS earlier ON true
                """).first!
            guard try known.decode("region", as: Bool.self) else { throw ComplaintsError.regionNotApproved(intake.region.rawValue) }
            let respondentKnown = try known.decode("respondent", as: Bool.self)
            let certificateKnown = try known.decode("certificate", as: Bool.self)
            let claimKnown = try known.decode("claim", as: Bool.self)
            let duplicateOf: UUID? = try known.decode("earlier_duplicate_of", as: UUID?.self)
                ?? known.decode("earlier_id", as: UUID?.self)
            let sequence = try known.decode("sequence", as: Int64.self)
            let caseNumber = "TS" + today.description.filter(\.isNumber) + String(format: "%06lld", sequence % 1_000_000)
            try await connection.query("""
                INSERT INTO complaint_case (id, case_number, secret_hash, kind, channel, category, status, region_code,
                    handling_division, consumer_ref, name_masked, phone_masked, id_number_masked, contact_encrypted,
                    respondent_credit_code, respondent_name, respondent_known, respondent_key, certificate_number,
                    certificate_known, claim_id, claim_known, purchased_on, amount_in_dispute, facts, facts_hash, demands,
                    duplicate_of, received_on, received_at, submitted_by, due_deadline, due_on, updated_at)
                VALUES (\(id), \(caseNumber), \(personalData.matchingHash("secret:" + secret)), \(intake.kind.rawValue),
                    \(intake.channel.rawValue), \(intake.category.rawValue), 'received', \(intake.region.rawValue),
                    \(intake.handlingDivision.rawValue), \(consumerRef), \(PersonalDataProtector.maskName(intake.name)),
                    \(PersonalDataProtector.maskPhone(intake.phone)),
                    \(intake.idNumber.map { PersonalDataProtector.maskIDNumber($0.rawValue) }), \(contactEncrypted),
                    \(intake.respondent?.rawValue), \(intake.respondentName), \(respondentKnown), \(intake.respondentKey),
                    \(intake.certificate?.rawValue), \(certificateKnown), \(intake.claimID), \(claimKnown),
                    \(intake.purchasedOn?.description)::date, \(intake.amountInDispute?.rawValue), \(intake.facts),
                    \(intake.factsHash), \(intake.demands), \(duplicateOf), \(today.description)::date, \(now), \(subject),
                    \(due?.0.rawValue), \(due?.1.description)::date, \(now))
                """)
            for attachment in intake.attachments {
                try await connection.query("""
                    INSERT INTO case_attachment (id, case_id, file_name, media_type, size_bytes, sha256, content)
                    VALUES (\(UUID()), \(id), \(attachment.fileName), \(attachment.mediaType), \(attachment.size),
                        \(attachment.sha256), decode(\(attachment.base64), 'base64'))
                    """)
            }
            try await connection.query("""
                INSERT INTO case_history (case_id, action, from_status, to_status, actor_role, note, at)
                VALUES (\(id), 'receive', NULL, 'received', \(actor.rawValue),
                    \(intake.channel.rawValue), \(now))
                """)
            let ref = ConsumerRef(rawValue: consumerRef)!
            if intake.kind == .report {
                try await context.outbox.append(ReportReceived(
                    reportID: id.lowercasedText, caseNumber: caseNumber, regionCode: intake.region,
                    handlingDivision: intake.handlingDivision, consumerRef: ref, channel: intake.channel,
                    category: intake.category, respondentCreditCode: intake.respondent, respondentKnown: respondentKnown,
                    certificateNumber: intake.certificate, certificateKnown: certificateKnown, receivedOn: today,
                    decisionDueOn: due!.1, receivedAt: now), on: connection, time: now)
            } else {
                try await context.outbox.append(ComplaintReceived(
                    complaintID: id.lowercasedText, caseNumber: caseNumber, regionCode: intake.region,
                    handlingDivision: intake.handlingDivision, kind: intake.kind, consumerRef: ref, channel: intake.channel,
                    category: intake.category, respondentCreditCode: intake.respondent, respondentKnown: respondentKnown,
                    certificateNumber: intake.certificate, certificateKnown: certificateKnown,
                    claimID: intake.claimID?.lowercasedText, amountInDispute: intake.amountInDispute,
                    duplicateOf: duplicateOf?.lowercasedText, receivedOn: today, acceptanceDueOn: due?.1, receivedAt: now),
                    on: connection, time: now)
            }
            var flags: [String] = []
            if !respondentKnown { flags.append("unknown-respondent") }
            if intake.certificate != nil, !certificateKnown { flags.append("unknown-certificate") }
            if intake.claimID != nil, !claimKnown { flags.append("unknown-claim") }
            return Receipt(id: id.lowercasedText, caseNumber: caseNumber, secret: secret, status: .received,
                           handlingDivision: intake.handlingDivision.rawValue, dueOn: due?.1,
                           duplicateOf: duplicateOf?.lowercasedText, flags: flags)
        }
    }

    /// 20 random characters from an alphabet without look-alikes (about 100 bits).
    static func newSecret() -> String {
        let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

extension UUID {
    /// The id as events and responses write it.
    var lowercasedText: String { uuidString.lowercased() }
}
