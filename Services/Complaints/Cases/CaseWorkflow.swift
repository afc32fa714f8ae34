import Contracts
import Foundation
import Postgres
import ServiceKit

/// Moves cases through ``CaseAction``'s transition table: each action locks the case, checks that the caller
/// handles it (a market regulator acts only on cases routed to its division, else `case-not-found` and nothing
/// changes), checks the transition, writes the new state, the deadline that runs next (in working days on
/// ``ComplaintsSettings/workingDays``) and the history line, and appends the event, in one transaction.
struct CaseWorkflow: Sendable {
    let context: ComplaintsContext

    /// A handler's request, checked: the action and what it needs.
    struct Transition: Sendable {
        var action: CaseAction
        var reasonCode: ComplaintNotAcceptedReason?
        var reason: String?
        var mediator: String?
        var agreement: String?
        var compensation: Fen?
        var toDivision: DivisionCode?
        var violationKind: ViolationKind?
    }

    /// Who acts: a market regulator (or SAMR official) through the API, the complainant through the public routes,
    /// or the deadline job.
    enum Actor: Sendable {
        case handler(Principal)
        case complainant
        case system

        var role: ActorRole {
            switch self {
            case .handler(let principal): principal.actorRole
            case .complainant: .consumer
            case .system: .system
            }
        }
    }

    /// The locked row's facts a transition needs.
    struct Locked: Sendable {
        var id: UUID
        var kind: ComplaintKind
        var status: CaseStatus
        var region: DivisionCode
        var division: DivisionCode
        var respondent: UnifiedSocialCreditCode?
        var respondentKnown: Bool
        var certificate: CertificateNumber?
        var mediationDueOn: CalendarDate?
        var reopenableUntil: CalendarDate?
        var agreementBySettlement: Bool
    }

    /// Applies `transition` to case `id` for `actor`; returns the case as it is now.
    func apply(_ transition: Transition, to id: UUID, by actor: Actor) async throws -> CaseView {
        try await context.pool.transaction { connection in
            let locked = try await lock(id, for: actor, on: connection)
            try await apply(transition, to: locked, by: actor, on: connection)
            return try await CaseView.load(id, on: connection)!
        }
    }

    /// Locks case `id`; a handler who does not handle it gets `case-not-found`.
    func lock(_ id: UUID, for actor: Actor, on connection: PostgresConnection) async throws -> Locked {
        let rows = try await connection.query("""
            SELECT id, kind, status, region_code, handling_division, respondent_credit_code, respondent_known,
                certificate_number, mediation_due_on::text AS mediation_due_on, reopenable_until::text AS reopenable_until,
                outcome
            FROM complaint_case WHERE id = \(id) FOR UPDATE
            """)
        guard let row = rows.first else { throw ComplaintsError.caseNotFound(id.lowercasedText) }
        let division = try row.identifier("handling_division", as: DivisionCode.self)
        if case .handler(let principal) = actor, !principal.mayRegulate(in: division) {
            throw ComplaintsError.caseNotFound(id.lowercasedText)
        }
        return Locked(
            id: id, kind: try row.enumeration("kind", as: ComplaintKind.self),
            status: try row.enumeration("status", as: CaseStatus.self),
            region: try row.identifier("region_code", as: DivisionCode.self), division: division,
            respondent: try row.decode("respondent_credit_code", as: String?.self).flatMap(UnifiedSocialCreditCode.init(rawValue:)),
            respondentKnown: try row.decode("respondent_known", as: Bool.self),
            certificate: try row.decode("certificate_number", as: String?.self).flatMap(CertificateNumber.init(rawValue:)),
            mediationDueOn: try row.decode("mediation_due_on", as: String?.self).flatMap(CalendarDate.init),
            reopenableUntil: try row.decode("reopenable_until", as: String?.self).flatMap(CalendarDate.init),
            agreementBySettlement: try row.decode("outcome", as: String?.self) == ComplaintOutcome.settled.rawValue)
    }

    func apply(_ transition: Transition, to locked: Locked, by actor: Actor, on connection: PostgresConnection) async throws {
        let action = transition.action
        guard action.isAllowed(kind: locked.kind, status: locked.status) else {
            throw ComplaintsError.transitionNotAllowed(locked.status, action: action)
        }
        let now = context.clock.now()
        let today = WorkingDayCalendar.day(of: now)
        let settings = context.settings
        let calendar = settings.workingDays
        let id = locked.id
        let key = id.lowercasedText
        let role = actor.role
        let target = action.target(from: locked.status)
        var note = transition.reason
        switch action {
        case .accept:
            let mediationDue = calendar.addingWorkingDays(settings.mediationWorkingDays, to: today)
            try await connection.query("""
                UPDATE complaint_case SET status = 'accepted', accepted_on = \(today.description)::date,
                    mediation_due_on = \(mediationDue.description)::date, \(unescaped: Self.deadline),
                    due_deadline = 'mediation', due_on = \(mediationDue.description)::date, updated_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ComplaintAccepted(
                complaintID: key, regionCode: locked.region, acceptedOn: today, mediationDueOn: mediationDue,
                actorRole: role, acceptedAt: now), on: connection, time: now)
        case .notAccept:
            let reasonCode = try Self.required(transition.reasonCode, "reasonCode")
            let reason = try Self.required(transition.reason, "reason")
            try await connection.query("""
                UPDATE complaint_case SET status = 'not-accepted', not_accepted_reason = \(reasonCode.rawValue),
                    decision_note = \(reason), due_deadline = NULL, due_on = NULL, \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            note = "\(reasonCode.rawValue): \(reason)"
            try await context.outbox.append(ComplaintNotAccepted(
                complaintID: key, regionCode: locked.region, reasonCode: reasonCode, reason: reason, decidedOn: today,
                actorRole: role, decidedAt: now), on: connection, time: now)
        case .startSettlement:
            guard let respondent = locked.respondent, locked.respondentKnown else {
                throw ComplaintsError.settlementNeedsKnownRespondent
            }
            let enrolled = try await connection.query("SELECT 1 FROM odr_enrolment WHERE credit_code = \(respondent.rawValue)")
            guard enrolled.first != nil else { throw ComplaintsError.respondentNotEnrolledInODR(respondent.rawValue) }
            let due = calendar.addingWorkingDays(settings.settlementWorkingDays, to: today)
            try await connection.query("""
                UPDATE complaint_case SET status = 'settlement', due_deadline = 'settlement', due_on = \(due.description)::date,
                    \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ComplaintSettlementStarted(
                complaintID: key, regionCode: locked.region, respondentCreditCode: respondent, settlementDueOn: due,
                actorRole: role, startedAt: now), on: connection, time: now)
        case .startMediation:
            let mediator = try Self.required(transition.mediator, "mediator")
            let due = locked.mediationDueOn ?? calendar.addingWorkingDays(settings.mediationWorkingDays, to: today)
            try await connection.query("""
                UPDATE complaint_case SET status = 'mediation', mediator = \(mediator), due_deadline = 'mediation',
                    due_on = \(due.description)::date, \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            note = mediator
            try await context.outbox.append(ComplaintMediationStarted(
                complaintID: key, regionCode: locked.region, mediator: mediator, mediationDueOn: due, actorRole: role,
                startedAt: now), on: connection, time: now)
        case .recordAgreement:
            let agreement = try Self.required(transition.agreement, "agreement")
            let bySettlement = locked.status == .settlement
            try await connection.query("""
                UPDATE complaint_case SET status = 'mediated', agreement = \(agreement),
                    compensation = \(transition.compensation?.rawValue),
                    outcome = \(bySettlement ? ComplaintOutcome.settled.rawValue : ComplaintOutcome.mediated.rawValue),
                    due_deadline = NULL, due_on = NULL, \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            note = agreement
            try await context.outbox.append(ComplaintMediated(
                complaintID: key, regionCode: locked.region, agreement: agreement, compensation: transition.compensation,
                bySettlement: bySettlement, mediatedOn: today, withinDeadline: locked.mediationDueOn.map { today <= $0 } ?? true,
                actorRole: role, mediatedAt: now), on: connection, time: now)
        case .terminateMediation:
            let reason = try Self.required(transition.reason, "reason")
            try await terminate(locked, reason: reason, today: today, now: now, role: role, on: connection)
        case .answer:
            let answer = try Self.required(transition.reason, "reason")
            try await close(locked, outcome: .answered, note: answer, today: today, now: now, role: role, on: connection)
        case .openCase:
            try await connection.query("""
                UPDATE complaint_case SET status = 'case-opened', decision_note = \(transition.reason), due_deadline = NULL,
                    due_on = NULL, \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ReportCaseOpened(
                reportID: key, regionCode: locked.region, openedOn: today, actorRole: role, openedAt: now),
                on: connection, time: now)
            if let kind = transition.violationKind {
                guard let certificate = locked.certificate else {
                    throw Problem.validation(field: "violationKind", reason: "needs a report that names a certificate")
                }
                let holder = try await connection.query("""
                    SELECT holder_credit_code, certification_body FROM known_certificate WHERE number = \(certificate.rawValue)
                    """).first
                let holderCode = try holder.flatMap { try $0.decode("holder_credit_code", as: String.self) }
                    .flatMap(UnifiedSocialCreditCode.init(rawValue:))
                let body = try holder.map { try $0.decode("certification_body", as: String.self) }
                try await context.outbox.append(CertificationViolationReported(
                    reportID: key, regionCode: locked.region, complaintID: nil, certificateNumber: certificate,
                    holderCreditCode: holderCode ?? locked.respondent, certificationBody: body, violationKind: kind,
                    summary: transition.reason ?? "举报立案：\(kind.rawValue)", actorRole: role, reportedAt: now),
                    on: connection, time: now)
            }
        case .declineCase:
            let reason = try Self.required(transition.reason, "reason")
            try await connection.query("""
                UPDATE complaint_case SET status = 'case-declined', decision_note = \(reason), due_deadline = NULL,
                    due_on = NULL, \(unescaped: Self.deadline), updated_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ReportCaseDeclined(
                reportID: key, regionCode: locked.region, reason: reason, decidedOn: today, actorRole: role, decidedAt: now),
                on: connection, time: now)
        case .close:
            let outcome: ComplaintOutcome = switch locked.status {
            case .notAccepted: .notAccepted
            case .mediated: locked.agreementBySettlement ? .settled : .mediated
            case .mediationTerminated: .mediationTerminated
            default: .reportDecided
            }
            try await close(locked, outcome: outcome, note: transition.reason, today: today, now: now, role: role, on: connection)
        case .reopen:
            let reason = try Self.required(transition.reason, "reason")
            if let until = locked.reopenableUntil, today > until { throw ComplaintsError.reopenPeriodOver(until.description) }
            let due = calendar.addingWorkingDays(settings.acceptanceWorkingDays, to: today)
            try await connection.query("""
                UPDATE complaint_case SET status = 'received', outcome = NULL, closed_on = NULL, reopenable_until = NULL,
                    accepted_on = NULL, mediation_due_on = NULL, not_accepted_reason = NULL, agreement = NULL,
                    compensation = NULL, rating = NULL, rating_comment = NULL, reopen_count = reopen_count + 1,
                    due_deadline = 'acceptance', due_on = \(due.description)::date, \(unescaped: Self.deadline),
                    updated_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ComplaintReopened(
                complaintID: key, regionCode: locked.region, reason: reason, acceptanceDueOn: due, actorRole: role,
                reopenedAt: now), on: connection, time: now)
        case .transfer:
            let to = try Self.required(transition.toDivision, "toDivision")
            let reason = try Self.required(transition.reason, "reason")
            guard to != locked.division else { throw ComplaintsError.alreadyRouted(to.rawValue) }
            try await connection.query("""
                UPDATE complaint_case SET handling_division = \(to.rawValue), updated_at = \(now) WHERE id = \(id)
                """)
            note = "\(locked.division.rawValue) → \(to.rawValue): \(reason)"
            try await context.outbox.append(ComplaintTransferred(
                complaintID: key, regionCode: locked.region, fromDivision: locked.division, toDivision: to, reason: reason,
                actorRole: role, transferredAt: now), on: connection, time: now)
        }
        try await connection.query("""
            INSERT INTO case_history (case_id, action, from_status, to_status, actor_role, note, at)
            VALUES (\(id), \(action.rawValue), \(locked.status.rawValue), \(target.rawValue), \(role.rawValue), \(note), \(now))
            """)
    }

    /// Ends mediation without agreement; the parties must be told within the notice period.
    func terminate(_ locked: Locked, reason: String, today: CalendarDate, now: Date, role: ActorRole,
                   on connection: PostgresConnection) async throws {
        let settings = context.settings
        let noticeDue = settings.workingDays.addingWorkingDays(settings.terminationNoticeWorkingDays, to: today)
        try await connection.query("""
            UPDATE complaint_case SET status = 'mediation-terminated', decision_note = \(reason),
                due_deadline = 'termination-notice', due_on = \(noticeDue.description)::date, \(unescaped: Self.deadline),
                updated_at = \(now)
            WHERE id = \(locked.id)
            """)
        try await context.outbox.append(ComplaintMediationTerminated(
            complaintID: locked.id.lowercasedText, regionCode: locked.region, reason: reason, terminatedOn: today,
            partiesToldBy: noticeDue, actorRole: role, terminatedAt: now), on: connection, time: now)
    }

    private func close(_ locked: Locked, outcome: ComplaintOutcome, note: String?, today: CalendarDate, now: Date,
                       role: ActorRole, on connection: PostgresConnection) async throws {
        let settings = context.settings
        let until = settings.workingDays.addingWorkingDays(settings.reopenWorkingDays, to: today)
        try await connection.query("""
            UPDATE complaint_case SET status = 'closed', outcome = \(outcome.rawValue), closed_on = \(today.description)::date,
                reopenable_until = \(until.description)::date, decision_note = coalesce(\(note), decision_note),
                due_deadline = NULL, due_on = NULL, \(unescaped: Self.deadline), updated_at = \(now)
            WHERE id = \(locked.id)
            """)
        try await context.outbox.append(ComplaintClosed(
            complaintID: locked.id.lowercasedText, regionCode: locked.region, outcome: outcome, reopenableUntil: until,
            actorRole: role, closedAt: now), on: connection, time: now)
    }

    /// A new deadline starts unbreached and unreminded.
    static let deadline = "breached_at = NULL, reminded_at = NULL"

    static func required<Value>(_ value: Value?, _ field: String) throws(Problem) -> Value {
        guard let value else { throw Problem.validation(field: field, reason: "is required for this action") }
        return value
    }
}
