import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// What the complainant does without an account, by case number and the secret the intake gave: follow the case,
/// rate a closed case's outcome, reopen it within the period. A wrong number or secret is `case-not-found`.
struct PublicCaseDesk: Sendable {
    let context: ComplaintsContext

    /// The case as its complainant follows it: no handler notes, no personal data.
    struct View: ResponseEncodable, Codable, Sendable {
        struct Step: Codable, Sendable {
            var action: String
            var status: String
            var at: Date
        }

        var caseNumber: String
        var kind: ComplaintKind
        var status: CaseStatus
        var handlingDivision: String
        var receivedOn: CalendarDate
        var dueDeadline: ComplaintDeadline?
        var dueOn: CalendarDate?
        var outcome: ComplaintOutcome?
        var notAcceptedReason: ComplaintNotAcceptedReason?
        var closedOn: CalendarDate?
        var reopenableUntil: CalendarDate?
        var rating: Int?
        var steps: [Step]
    }

    /// The case's id, when `secret` is its secret.
    func find(_ caseNumber: String, secret: String?, on connection: PostgresConnection, lock: Bool = false) async throws -> UUID {
        guard let secret, !secret.isEmpty, secret.count <= 100 else { throw ComplaintsError.caseNotFound(caseNumber) }
        let hash = context.service.personalData.matchingHash("secret:" + secret)
        let rows = try await connection.query("""
            SELECT id FROM complaint_case WHERE case_number = \(caseNumber) AND secret_hash = \(hash)
            """)
        guard let row = rows.first else { throw ComplaintsError.caseNotFound(caseNumber) }
        return try row.decode("id", as: UUID.self)
    }

    func view(_ caseNumber: String, secret: String?) async throws -> View {
        try await context.pool.withConnection { connection in
            let id = try await find(caseNumber, secret: secret, on: connection)
            return try await view(id, on: connection)
        }
    }

    func rate(_ caseNumber: String, secret: String?, rating: Int, comment: String?) async throws -> View {
        try await context.pool.transaction { connection in
            let id = try await find(caseNumber, secret: secret, on: connection)
            let updated = try await connection.query("""
                UPDATE complaint_case SET rating = \(rating), rating_comment = \(comment), updated_at = \(context.clock.now())
                WHERE id = \(id) AND status = 'closed' RETURNING status
                """)
            guard updated.first != nil else {
                let row = try await connection.query("SELECT status FROM complaint_case WHERE id = \(id)").first!
                let status = try row.decode("status", as: String.self)
                throw Problem.conflict(code: "case-not-closed", detail: "Only a closed case can be rated; this one is \(status).")
            }
            return try await view(id, on: connection)
        }
    }

    func reopen(_ caseNumber: String, secret: String?, reason: String) async throws -> View {
        try await context.pool.transaction { connection in
            let id = try await find(caseNumber, secret: secret, on: connection)
            let workflow = CaseWorkflow(context: context)
            let locked = try await workflow.lock(id, for: .complainant, on: connection)
            try await workflow.apply(CaseWorkflow.Transition(action: .reopen, reason: reason), to: locked, by: .complainant,
                                     on: connection)
            return try await view(id, on: connection)
        }
    }

    private func view(_ id: UUID, on connection: PostgresConnection) async throws -> View {
        guard let full = try await CaseView.load(id, on: connection) else { throw ComplaintsError.caseNotFound(id.lowercasedText) }
        return View(
            caseNumber: full.caseNumber, kind: full.kind, status: full.status, handlingDivision: full.handlingDivision,
            receivedOn: full.receivedOn, dueDeadline: full.dueDeadline, dueOn: full.dueOn, outcome: full.outcome,
            notAcceptedReason: full.notAcceptedReason, closedOn: full.closedOn, reopenableUntil: full.reopenableUntil,
            rating: full.rating, steps: full.history.map { View.Step(action: $0.action, status: $0.toStatus, at: $0.at) })
    }
}
