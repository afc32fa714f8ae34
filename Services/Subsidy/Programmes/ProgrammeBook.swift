import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Drafts, approves, opens, tops up and closes programmes. Each change runs in one transaction with its event; the
/// budget's slices move with the status (accepting claims only while open).
struct ProgrammeBook: Sendable {
    let context: SubsidyContext

    /// Drafts a programme in an approved pilot region.
    func draft(_ terms: ProgrammeTerms, by principal: Principal) async throws -> ProgrammeView {
        let id = UUID()
        let now = context.clock.now()
        let termsJSON: [UInt8] = if let purchase = terms.purchaseTerms {
            try ContractJSON.encode(purchase)
        } else {
            try ContractJSON.encode(terms.loanTerms!)
        }
        try await context.pool.transaction { connection in
            let region = try await connection.query(
                "SELECT 1 FROM pilot_region WHERE region_code = \(terms.regionCode.rawValue)")
            guard !region.isEmpty else { throw SubsidyError.regionNotApproved(terms.regionCode.rawValue) }
            try await connection.query("""
                INSERT INTO programme (id, region_code, name, kind, status, starts_on, ends_on, budget, rounding,
                    review_threshold, funding_shares, terms, created_by, created_at)
                VALUES (\(id), \(terms.regionCode.rawValue), \(terms.name), \(terms.kind.rawValue), 'draft',
                    \(terms.startsOn.description)::date, \(terms.endsOn.description)::date, \(terms.budget.rawValue),
                    \(terms.rounding.rawValue), \(terms.reviewThreshold.rawValue),
                    \(String(decoding: try ContractJSON.encode(terms.fundingShares), as: UTF8.self))::jsonb,
                    \(String(decoding: termsJSON, as: UTF8.self))::jsonb, \(principal.subject), \(now))
                """)
            try await BudgetLedger(programmeID: id).create(
                budget: terms.budget, slices: context.settings.budgetSlices, on: connection)
        }
        return try await view(id)
    }

    /// Approves a draft: a ministry official who did not draft it. The terms are announced with the approval.
    func approve(_ id: UUID, by principal: Principal) async throws -> ProgrammeView {
        let now = context.clock.now()
        try await change(id, action: "approved", allowedFrom: [.draft]) { programme, connection in
            guard programme.createdBy != principal.subject else {
                throw SubsidyError.fourEyes("Whoever drafted a programme may not also approve it.")
            }
            try await connection.query("""
                UPDATE programme SET status = 'approved', approved_by = \(principal.subject), approved_at = \(now)
                WHERE id = \(id)
                """)
            let terms = programme.terms
            try await context.outbox.append(ProgrammeApproved(
                programmeID: id.lowercasedText, regionCode: terms.regionCode, name: terms.name, kind: terms.kind,
                startsOn: terms.startsOn, endsOn: terms.endsOn, budget: terms.budget, fundingShares: terms.fundingShares,
                rounding: terms.rounding, reviewThreshold: terms.reviewThreshold, purchaseTerms: terms.purchaseTerms,
                loanTerms: terms.loanTerms, actorRole: principal.actorRole, approvedAt: now), on: connection, time: now)
        }
        return try await view(id)
    }

    /// Opens an approved programme: its budget starts taking claims.
    func open(_ id: UUID, access: RegionAccess) async throws -> ProgrammeView {
        let now = context.clock.now()
        try await change(id, action: "opened", allowedFrom: [.approved]) { programme, connection in
            let principal = try access(programme.terms.regionCode.rawValue)
            try await connection.query("UPDATE programme SET status = 'open', opened_at = \(now) WHERE id = \(id)")
            try await programme.ledger.setAccepting(true, on: connection)
            try await context.outbox.append(ProgrammeOpened(
                programmeID: id.lowercasedText, regionCode: programme.terms.regionCode, actorRole: principal.actorRole,
                openedAt: now), on: connection, time: now)
        }
        return try await view(id)
    }

    /// Raises the budget; an exhausted programme opens again.
    func topUp(_ id: UUID, by amount: Fen, reason: String, principal: Principal) async throws -> ProgrammeView {
        let now = context.clock.now()
        try await change(id, action: "topped up", allowedFrom: [.draft, .approved, .open, .exhausted]) { programme, connection in
            guard programme.terms.budget.rawValue <= Validator.maximumFen - amount.rawValue else {
                throw Problem.validation(field: "amount", reason: "would raise the budget above \(Validator.maximumFen) fen")
            }
            let budget = programme.terms.budget + amount
            try await connection.query("UPDATE programme SET budget = \(budget.rawValue) WHERE id = \(id)")
            try await programme.ledger.topUp(amount, at: now, on: connection)
            try await context.outbox.append(ProgrammeBudgetChanged(
                programmeID: id.lowercasedText, regionCode: programme.terms.regionCode,
                previousBudget: programme.terms.budget, budget: budget, reason: reason, actorRole: principal.actorRole,
                changedAt: now), on: connection, time: now)
            try await noteAvailability(of: programme, status: programme.status, at: now, on: connection)
        }
        return try await view(id)
    }

    /// Closes a programme for good: no claim is taken after the close commits.
    func close(_ id: UUID, reason: String, access: RegionAccess) async throws -> ProgrammeView {
        let now = context.clock.now()
        try await change(id, action: "closed", allowedFrom: [.approved, .open, .exhausted]) { programme, connection in
            let principal = try access(programme.terms.regionCode.rawValue)
            try await programme.ledger.setAccepting(false, on: connection)
            try await connection.query("""
                UPDATE programme SET status = 'closed', closed_at = \(now), close_reason = \(reason) WHERE id = \(id)
                """)
            let usage = try await programme.ledger.usage(budget: programme.terms.budget, on: connection)
            try await context.outbox.append(ProgrammeClosed(
                programmeID: id.lowercasedText, regionCode: programme.terms.regionCode,
                closedOn: WorkingDayCalendar.day(of: now), committed: usage.reserved + usage.paid, paid: usage.paid,
                reason: reason, actorRole: principal.actorRole, closedAt: now), on: connection, time: now)
        }
        return try await view(id)
    }

    /// Marks an open programme exhausted when nothing is left, and an exhausted one open again when money came
    /// back (a top-up, a release, a clawback); each once, with its event.
    func noteAvailability(of programme: Programme, status: ProgrammeStatus, at now: Date,
                          on connection: PostgresConnection) async throws {
        let available = try await programme.ledger.available(on: connection)
        if status == .open, available == .zero {
            let changed = try await connection.query("""
                UPDATE programme SET status = 'exhausted' WHERE id = \(programme.id) AND status = 'open' RETURNING budget
                """)
            guard let row = changed.first else { return }
            let budget = Fen(try row.decode("budget", as: Int64.self))
            try await context.outbox.append(ProgrammeExhausted(
                programmeID: programme.id.lowercasedText, regionCode: programme.terms.regionCode, budget: budget,
                committed: budget, exhaustedAt: now), on: connection, time: now)
        } else if status == .exhausted, available > .zero {
            let changed = try await connection.query("""
                UPDATE programme SET status = 'open' WHERE id = \(programme.id) AND status = 'exhausted' RETURNING id
                """)
            guard !changed.isEmpty else { return }
            try await context.outbox.append(ProgrammeOpened(
                programmeID: programme.id.lowercasedText, regionCode: programme.terms.regionCode, actorRole: .system,
                openedAt: now), on: connection, time: now)
        }
    }

    /// One programme with its money, or `programme-not-found`.
    func view(_ id: UUID) async throws -> ProgrammeView {
        try await context.pool.withConnection { connection in
            guard let programme = try await Programme.load(id, on: connection) else {
                throw SubsidyError.programmeNotFound(id.lowercasedText)
            }
            return ProgrammeView(programme, usage: try await programme.ledger.usage(budget: programme.terms.budget, on: connection))
        }
    }

    /// Programmes, newest first, optionally of one region and status.
    func list(region: DivisionCode?, status: ProgrammeStatus?, limit: Int) async throws -> [ProgrammeView] {
        try await context.pool.withConnection { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Programme.columns) FROM programme
                WHERE (\(region?.rawValue)::text IS NULL OR region_code = \(region?.rawValue))
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                ORDER BY created_at DESC, id LIMIT \(limit)
                """)
            var views: [ProgrammeView] = []
            for row in rows.rows {
                let programme = try Programme(row: row)
                views.append(ProgrammeView(programme, usage: try await programme.ledger.usage(budget: programme.terms.budget, on: connection)))
            }
            return views
        }
    }

    /// Locks the programme, checks its status allows `action`, and runs `body` in the same transaction.
    private func change(
        _ id: UUID, action: String, allowedFrom: Set<ProgrammeStatus>,
        _ body: (Programme, PostgresConnection) async throws -> Void
    ) async throws {
        try await context.pool.transaction { connection in
            guard let programme = try await Programme.load(id, lock: true, on: connection) else {
                throw SubsidyError.programmeNotFound(id.lowercasedText)
            }
            guard allowedFrom.contains(programme.status) else {
                throw SubsidyError.programmeState(programme.status, action: action)
            }
            try await body(programme, connection)
        }
    }
}

extension UUID {
    /// The lower-case text events and responses carry.
    var lowercasedText: String { uuidString.lowercased() }
}
