import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceHost

/// A case as handlers see it: the complainant only masked, the deadline running now, breaches, history and
/// attachments' metadata (never their content).
struct CaseView: ResponseEncodable, Codable, Sendable {
    struct Attachment: Codable, Sendable {
        var id: String
        var fileName: String
        var mediaType: String
        var sizeBytes: Int
        var sha256: String
    }

    struct Breach: Codable, Sendable {
        var deadline: ComplaintDeadline
        var dueOn: CalendarDate
        var detectedAt: Date
    }

    struct HistoryEntry: Codable, Sendable {
        var action: String
        var fromStatus: String?
        var toStatus: String
        var actorRole: String
        var note: String?
        var at: Date
    }

    var id: String
    var caseNumber: String
    var kind: ComplaintKind
    var channel: ComplaintChannel
    var category: ComplaintCategory
    var status: CaseStatus
    var regionCode: String
    var handlingDivision: String
    var complainantNameMasked: String
    var complainantPhoneMasked: String
    var complainantIDNumberMasked: String?
    var respondentCreditCode: String?
    var respondentName: String?
    var respondentKnown: Bool
    var certificateNumber: String?
    var certificateKnown: Bool
    var claimID: String?
    var claimKnown: Bool
    /// What a handler should check: unknown respondent, certificate or claim.
    var flags: [String]
    var purchasedOn: CalendarDate?
    var amountInDispute: Fen?
    var facts: String
    var demands: String?
    var duplicateOf: String?
    var receivedOn: CalendarDate
    var receivedAt: Date
    var dueDeadline: ComplaintDeadline?
    var dueOn: CalendarDate?
    var overdue: Bool
    var reminderSent: Bool
    var acceptedOn: CalendarDate?
    var mediationDueOn: CalendarDate?
    var notAcceptedReason: ComplaintNotAcceptedReason?
    var mediator: String?
    var agreement: String?
    var compensation: Fen?
    var outcome: ComplaintOutcome?
    var decisionNote: String?
    var closedOn: CalendarDate?
    var reopenableUntil: CalendarDate?
    var rating: Int?
    var ratingComment: String?
    var reopenCount: Int
    var breaches: [Breach]
    var attachments: [Attachment]
    var history: [HistoryEntry]

    static let columns = """
        id, case_number, kind, channel, category, status, region_code, handling_division, name_masked, phone_masked,
        id_number_masked, respondent_credit_code, respondent_name, respondent_known, certificate_number, certificate_known,
        claim_id, claim_known, purchased_on::text AS purchased_on, amount_in_dispute, facts, demands, duplicate_of,
        received_on::text AS received_on, received_at, due_deadline, due_on::text AS due_on, breached_at, reminded_at,
        accepted_on::text AS accepted_on, mediation_due_on::text AS mediation_due_on, not_accepted_reason, mediator,
        agreement, compensation, outcome, decision_note, closed_on::text AS closed_on,
        reopenable_until::text AS reopenable_until, rating, rating_comment, reopen_count
        """

    /// The case `id` with its breaches, attachments and history, or nil.
    static func load(_ id: UUID, on connection: PostgresConnection) async throws -> CaseView? {
        let rows = try await connection.query("SELECT \(unescaped: columns) FROM complaint_case WHERE id = \(id)")
        guard let row = rows.first else { return nil }
        var view = try CaseView(row: row)
        view.breaches = try await connection.query("""
            SELECT deadline, due_on::text AS due_on, detected_at FROM case_breach WHERE case_id = \(id) ORDER BY detected_at
            """).rows.map {
            Breach(deadline: try $0.enumeration("deadline", as: ComplaintDeadline.self), dueOn: try $0.calendarDate("due_on"),
                   detectedAt: try $0.decode("detected_at", as: Date.self))
        }
        view.attachments = try await connection.query("""
            SELECT id, file_name, media_type, size_bytes, sha256 FROM case_attachment WHERE case_id = \(id) ORDER BY file_name, id
            """).rows.map {
            Attachment(id: try $0.decode("id", as: UUID.self).lowercasedText, fileName: try $0.decode("file_name", as: String.self),
                       mediaType: try $0.decode("media_type", as: String.self), sizeBytes: try $0.decode("size_bytes", as: Int.self),
                       sha256: try $0.decode("sha256", as: String.self))
        }
        view.history = try await connection.query("""
            SELECT action, from_status, to_status, actor_role, note, at FROM case_history WHERE case_id = \(id) ORDER BY id
            """).rows.map {
            HistoryEntry(action: try $0.decode("action", as: String.self), fromStatus: try $0.decode("from_status", as: String?.self),
                         toStatus: try $0.decode("to_status", as: String.self), actorRole: try $0.decode("actor_role", as: String.self),
                         note: try $0.decode("note", as: String?.self), at: try $0.decode("at", as: Date.self))
        }
        return view
    }

    /// A case from a row of ``columns`` (without breaches, attachments and history).
    init(row: PostgresRow) throws {
        func day(_ column: String) throws -> CalendarDate? {
            try row.decode(column, as: String?.self).flatMap(CalendarDate.init)
        }
        id = try row.decode("id", as: UUID.self).lowercasedText
        caseNumber = try row.decode("case_number", as: String.self)
        kind = try row.enumeration("kind", as: ComplaintKind.self)
        channel = try row.enumeration("channel", as: ComplaintChannel.self)
        category = try row.enumeration("category", as: ComplaintCategory.self)
        status = try row.enumeration("status", as: CaseStatus.self)
        regionCode = try row.decode("region_code", as: String.self)
        handlingDivision = try row.decode("handling_division", as: String.self)
        complainantNameMasked = try row.decode("name_masked", as: String.self)
        complainantPhoneMasked = try row.decode("phone_masked", as: String.self)
        complainantIDNumberMasked = try row.decode("id_number_masked", as: String?.self)
        respondentCreditCode = try row.decode("respondent_credit_code", as: String?.self)
        respondentName = try row.decode("respondent_name", as: String?.self)
        respondentKnown = try row.decode("respondent_known", as: Bool.self)
        certificateNumber = try row.decode("certificate_number", as: String?.self)
        certificateKnown = try row.decode("certificate_known", as: Bool.self)
        claimID = try row.decode("claim_id", as: UUID?.self)?.lowercasedText
        claimKnown = try row.decode("claim_known", as: Bool.self)
        var flags: [String] = []
        if !respondentKnown { flags.append("unknown-respondent") }
        if certificateNumber != nil, !certificateKnown { flags.append("unknown-certificate") }
        if claimID != nil, !claimKnown { flags.append("unknown-claim") }
        self.flags = flags
        purchasedOn = try day("purchased_on")
        amountInDispute = try row.decode("amount_in_dispute", as: Int64?.self).map { Fen($0) }
        facts = try row.decode("facts", as: String.self)
        demands = try row.decode("demands", as: String?.self)
        duplicateOf = try row.decode("duplicate_of", as: UUID?.self)?.lowercasedText
        receivedOn = try day("received_on")!
        receivedAt = try row.decode("received_at", as: Date.self)
        dueDeadline = try row.decode("due_deadline", as: String?.self).flatMap(ComplaintDeadline.init(rawValue:))
        dueOn = try day("due_on")
        overdue = try row.decode("breached_at", as: Date?.self) != nil
        reminderSent = try row.decode("reminded_at", as: Date?.self) != nil
        acceptedOn = try day("accepted_on")
        mediationDueOn = try day("mediation_due_on")
        notAcceptedReason = try row.decode("not_accepted_reason", as: String?.self).flatMap(ComplaintNotAcceptedReason.init(rawValue:))
        mediator = try row.decode("mediator", as: String?.self)
        agreement = try row.decode("agreement", as: String?.self)
        compensation = try row.decode("compensation", as: Int64?.self).map { Fen($0) }
        outcome = try row.decode("outcome", as: String?.self).flatMap(ComplaintOutcome.init(rawValue:))
        decisionNote = try row.decode("decision_note", as: String?.self)
        closedOn = try day("closed_on")
        reopenableUntil = try day("reopenable_until")
        rating = try row.decode("rating", as: Int?.self)
        ratingComment = try row.decode("rating_comment", as: String?.self)
        reopenCount = try row.decode("reopen_count", as: Int.self)
        breaches = []
        attachments = []
        history = []
    }
}
