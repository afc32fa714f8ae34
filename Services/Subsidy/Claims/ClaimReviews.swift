import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Reviews of held claims and clawbacks of paid ones: a regional official of the claim's region (or a ministry
/// official) who did not submit it decides. A claim held above the programme's review threshold needs two
/// distinct approvals; one rejection rejects it and releases its reservation.
struct ClaimReviews: Sendable {
    let context: SubsidyContext

    struct Locked: Sendable {
        var id: UUID
        var programmeID: UUID
        var region: DivisionCode
        var consumerRef: ConsumerRef
        var status: ClaimStatus
        var submittedBy: String
        var reserved: Fen
        var slice: Int?
        var reviewsRequired: Int
        var paid: Fen
    }

    func review(_ id: UUID, decision: ClaimReviewDecision, comment: String?, access: RegionAccess) async throws -> ClaimView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let claim = try await lock(id, on: connection)
            let principal = try access(claim.region.rawValue)
            guard claim.status == .held else { throw SubsidyError.claimState(claim.status, action: "reviewed") }
            guard claim.submittedBy != principal.subject else {
                throw SubsidyError.fourEyes("Whoever submitted a claim may not also review it.")
            }
            let inserted = try await connection.query("""
                INSERT INTO claim_review (claim_id, reviewer, decision, comment, reviewed_at)
                VALUES (\(id), \(principal.subject), \(decision.rawValue), \(comment), \(now)) ON CONFLICT DO NOTHING
                """)
            guard inserted.affectedRows == 1 else { throw SubsidyError.alreadyReviewed }
            let approvals = try await connection.query(
                "SELECT count(*)::bigint AS n FROM claim_review WHERE claim_id = \(id) AND decision = 'approve'")
            let approved = Int(try approvals.first!.decode("n", as: Int64.self))
            let isFinal = decision == .reject || approved >= claim.reviewsRequired
            var events: [CloudEvent] = []
            let source = context.outbox.source.eventSource
            events.append(try CloudEvent(source: source, payload: ClaimReviewed(
                claimID: id.lowercasedText, programmeID: claim.programmeID.lowercasedText, regionCode: claim.region,
                decision: decision, approvals: approved, reviewsRequired: claim.reviewsRequired, isFinal: isFinal,
                comment: comment, actorRole: principal.actorRole, reviewedAt: now), time: now))
            if decision == .reject {
                try await connection.query("""
                    UPDATE claim SET status = 'rejected', rejection_reasons = '{review-rejected}', reserved_amount = 0,
                        decided_at = \(now) WHERE id = \(id)
                    """)
                try await release(claim, at: now, on: connection)
                events.append(try CloudEvent(source: source, payload: ClaimRejected(
                    claimID: id.lowercasedText, programmeID: claim.programmeID.lowercasedText, regionCode: claim.region,
                    consumerRef: claim.consumerRef, reasonCodes: [.reviewRejected],
                    reason: comment ?? ClaimRejectionText.text(.reviewRejected), actorRole: principal.actorRole,
                    rejectedAt: now), time: now))
            } else if isFinal {
                let today = WorkingDayCalendar.day(of: now)
                let due = context.settings.workingDays.addingWorkingDays(context.settings.paymentWorkingDays, to: today)
                try await connection.query("""
                    UPDATE claim SET status = 'approved', decided_at = \(now), approved_on = \(today.description)::date,
                        payment_due_on = \(due.description)::date, overdue_notified_at = NULL WHERE id = \(id)
                    """)
                events.append(try CloudEvent(source: source, payload: ClaimApproved(
                    claimID: id.lowercasedText, programmeID: claim.programmeID.lowercasedText, regionCode: claim.region,
                    consumerRef: claim.consumerRef, approvedAmount: claim.reserved, paymentDueOn: due, afterReview: true,
                    actorRole: principal.actorRole, approvedAt: now), time: now))
            }
            try await context.outbox.append(events, on: connection)
        }
        return try await ClaimDesk(context: context).view(id, as: nil)
    }

    /// Claws back a paid claim (goods returned, fraud found): the payment goes back to the budget.
    func clawBack(_ id: UUID, reason: String, access: RegionAccess) async throws -> ClaimView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let claim = try await lock(id, on: connection)
            let principal = try access(claim.region.rawValue)
            guard claim.status == .paid, let slice = claim.slice else {
                throw SubsidyError.claimState(claim.status, action: "clawed back")
            }
            try await connection.query("""
                UPDATE claim SET status = 'clawed-back', clawed_back_at = \(now), clawback_reason = \(reason) WHERE id = \(id)
                """)
            let ledger = BudgetLedger(programmeID: claim.programmeID)
            try await ledger.giveBack(claim.paid, slice: slice, claim: id, as: .clawedBack, at: now, on: connection)
            try await context.outbox.append(ClaimClawedBack(
                claimID: id.lowercasedText, programmeID: claim.programmeID.lowercasedText, regionCode: claim.region,
                consumerRef: claim.consumerRef, amount: claim.paid, reason: reason, actorRole: principal.actorRole,
                clawedBackAt: now), on: connection, time: now)
            try await reopenIfRoom(claim.programmeID, at: now, on: connection)
        }
        return try await ClaimDesk(context: context).view(id, as: nil)
    }

    /// The claim, locked, or `claim-not-found`.
    func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Locked {
        let rows = try await connection.query("""
            SELECT id, programme_id, region_code, consumer_ref, status, submitted_by, reserved_amount, budget_slice,
                reviews_required FROM claim WHERE id = \(id) FOR UPDATE
            """)
        guard let row = rows.first else { throw SubsidyError.claimNotFound(id.lowercasedText) }
        let reserved = Fen(try row.decode("reserved_amount", as: Int64.self))
        return Locked(
            id: id, programmeID: try row.decode("programme_id", as: UUID.self),
            region: try row.identifier("region_code", as: DivisionCode.self),
            consumerRef: try row.identifier("consumer_ref", as: ConsumerRef.self),
            status: try row.enumeration("status", as: ClaimStatus.self),
            submittedBy: try row.decode("submitted_by", as: String.self), reserved: reserved,
            slice: try row.decode("budget_slice", as: Int?.self), reviewsRequired: try row.decode("reviews_required", as: Int.self),
            paid: reserved)
    }

    /// Gives a rejected claim's reservation back to the budget.
    func release(_ claim: Locked, at now: Date, on connection: PostgresConnection) async throws {
        guard let slice = claim.slice, claim.reserved > .zero else { return }
        try await BudgetLedger(programmeID: claim.programmeID)
            .giveBack(claim.reserved, slice: slice, claim: claim.id, as: .released, at: now, on: connection)
        try await reopenIfRoom(claim.programmeID, at: now, on: connection)
    }

    private func reopenIfRoom(_ programmeID: UUID, at now: Date, on connection: PostgresConnection) async throws {
        guard let programme = try await Programme.load(programmeID, on: connection) else { return }
        try await ProgrammeBook(context: context).noteAvailability(of: programme, status: programme.status, at: now, on: connection)
    }
}
