import Contracts
import Crypto
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// Payment batches: a batch collects a programme's approved claims that no batch holds, exports a bank transfer
/// file (CSV, ending with a checksum line), and marks claims paid when the bank's confirmation file is imported.
/// Importing the same confirmation twice pays once: a payment is confirmed only while pending.
struct PaymentDesk: Sendable {
    let context: SubsidyContext

    /// Where one payment of a batch is.
    enum PaymentState: String, CaseIterable, Codable, Sendable {
        case pending, paid, failed
    }

    struct BatchView: ResponseEncodable, Codable, Sendable {
        struct Payment: Codable, Sendable {
            var id: String
            /// The purchase claim paid, or
            var claimID: String?
            /// the loan interest subsidy and repayment period paid.
            var loanSubsidyID: String?
            var loanPeriod: Int?
            var amount: Fen
            var status: String
            var bankReference: String?
            var failureReason: String?
            var confirmedAt: Date?
        }

        var id: String
        var programmeID: String
        var regionCode: String
        var claimCount: Int
        var total: Fen
        var fileSHA256: String
        var createdAt: Date
        var payments: [Payment]
    }

    struct ConfirmationResult: ResponseEncodable, Codable, Sendable {
        var paid: Int
        var failed: Int
        /// Lines naming payments confirmed before (a file imported again): nothing changed for them.
        var alreadyConfirmed: Int
    }

    /// Creates a batch of up to `limit` approved claims of the programme.
    func createBatch(programmeID: UUID, limit: Int, access: RegionAccess, principal: Principal) async throws -> BatchView {
        let id = UUID()
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            guard let programme = try await Programme.load(programmeID, on: connection) else {
                throw SubsidyError.programmeNotFound(programmeID.lowercasedText)
            }
            _ = try access(programme.terms.regionCode.rawValue)
            let today = WorkingDayCalendar.day(of: now)
            let payable: PostgresQueryResult
            switch programme.terms.kind {
            case .purchase:
                payable = try await connection.query("""
                    SELECT id AS claim_id, NULL::uuid AS loan_subsidy_id, NULL::int AS loan_period, reserved_amount AS amount
                    FROM claim WHERE programme_id = \(programmeID) AND status = 'approved' AND payment_batch_id IS NULL
                    ORDER BY approved_on, submitted_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """)
            case .loanInterest:
                payable = try await connection.query("""
                    SELECT NULL::uuid AS claim_id, p.subsidy_id AS loan_subsidy_id, p.period AS loan_period, p.amount
                    FROM loan_subsidy_period p JOIN loan_subsidy s ON s.id = p.subsidy_id
                    WHERE s.programme_id = \(programmeID) AND s.status = 'granted' AND p.due_on <= \(today.description)::date
                      AND p.paid_at IS NULL AND p.payment_batch_id IS NULL AND p.amount > 0
                    ORDER BY p.due_on, p.subsidy_id, p.period LIMIT \(limit) FOR UPDATE OF p SKIP LOCKED
                    """)
            }
            guard !payable.isEmpty else { throw SubsidyError.nothingToPay }
            let claims = try payable.rows.map { try $0.decode("claim_id", as: UUID?.self) }
            let loans = try payable.rows.map { try $0.decode("loan_subsidy_id", as: UUID?.self) }
            let periods = try payable.rows.map { try $0.decode("loan_period", as: Int?.self) }
            let amounts = try payable.rows.map { try $0.decode("amount", as: Int64.self) }
            try await connection.query("""
                INSERT INTO payment_batch (id, programme_id, region_code, created_by, created_at, claim_count, total, file_sha256)
                VALUES (\(id), \(programmeID), \(programme.terms.regionCode.rawValue), \(principal.subject), \(now),
                    \(amounts.count), \(amounts.reduce(0, +)), '')
                """)
            try await connection.query("""
                INSERT INTO payment (id, batch_id, claim_id, loan_subsidy_id, loan_period, amount, status)
                SELECT gen_random_uuid(), \(id), nullif(c, '')::uuid, nullif(l, '')::uuid, nullif(p, 0), amount, 'pending'
                FROM unnest(\(claims.map { $0?.lowercasedText ?? "" })::text[], \(loans.map { $0?.lowercasedText ?? "" })::text[],
                            \(periods.map { $0 ?? 0 })::int[], \(amounts)::bigint[]) AS t(c, l, p, amount)
                """)
            try await connection.query("""
                UPDATE claim SET payment_batch_id = \(id) WHERE id = ANY(\(claims.compactMap { $0 }))
                """)
            try await connection.query("""
                UPDATE loan_subsidy_period p SET payment_batch_id = \(id)
                FROM payment x WHERE x.batch_id = \(id) AND x.loan_subsidy_id = p.subsidy_id AND x.loan_period = p.period
                """)
            let file = try await transferFile(id, on: connection)
            try await connection.query("""
                UPDATE payment_batch SET file_sha256 = \(Self.sha256(Array(file.utf8))) WHERE id = \(id)
                """)
        }
        return try await batch(id, access: access)
    }

    /// The batch with its payments, if `access` lets the caller act in its region.
    func batch(_ id: UUID, access: RegionAccess) async throws -> BatchView {
        try await context.pool.withConnection { connection in
            let rows = try await connection.query("""
                SELECT id, programme_id, region_code, claim_count, total, file_sha256, created_at FROM payment_batch WHERE id = \(id)
                """)
            guard let row = rows.first else { throw SubsidyError.paymentBatchNotFound(id.lowercasedText) }
            _ = try access(try row.decode("region_code", as: String.self))
            let payments = try await connection.query("""
                SELECT id, claim_id, loan_subsidy_id, loan_period, amount, status, bank_reference, failure_reason, confirmed_at
                FROM payment WHERE batch_id = \(id) ORDER BY id
                """)
            return BatchView(
                id: id.lowercasedText, programmeID: try row.decode("programme_id", as: UUID.self).lowercasedText,
                regionCode: try row.decode("region_code", as: String.self), claimCount: try row.decode("claim_count", as: Int.self),
                total: Fen(try row.decode("total", as: Int64.self)), fileSHA256: try row.decode("file_sha256", as: String.self),
                createdAt: try row.decode("created_at", as: Date.self),
                payments: try payments.rows.map { payment in
                    BatchView.Payment(
                        id: try payment.decode("id", as: UUID.self).lowercasedText,
                        claimID: try payment.decode("claim_id", as: UUID?.self)?.lowercasedText,
                        loanSubsidyID: try payment.decode("loan_subsidy_id", as: UUID?.self)?.lowercasedText,
                        loanPeriod: try payment.decode("loan_period", as: Int?.self),
                        amount: Fen(try payment.decode("amount", as: Int64.self)),
                        status: try payment.decode("status", as: String.self),
                        bankReference: try payment.decode("bank_reference", as: String?.self),
                        failureReason: try payment.decode("failure_reason", as: String?.self),
                        confirmedAt: try payment.decode("confirmed_at", as: Date?.self))
                })
        }
    }

    /// The bank transfer file of a batch, if `access` lets the caller act in its region.
    func transferFile(_ id: UUID, access: RegionAccess) async throws -> String {
        try await context.pool.withConnection { connection in
            let rows = try await connection.query("SELECT region_code FROM payment_batch WHERE id = \(id)")
            guard let row = rows.first else { throw SubsidyError.paymentBatchNotFound(id.lowercasedText) }
            _ = try access(try row.decode("region_code", as: String.self))
            return try await transferFile(id, on: connection)
        }
    }

    /// `payment_id,reference_id,account,amount_fen` per payment (ordered by payment id; the reference is the claim or
    /// the loan interest subsidy paid), then
    /// `#checksum,<count>,<total fen>,<SHA-256 hex of every line before it, newlines included>`.
    /// The account is decrypted here only: the bank needs it.
    private func transferFile(_ id: UUID, on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("""
            SELECT p.id, coalesce(p.claim_id, p.loan_subsidy_id) AS reference_id, p.amount,
                coalesce(c.bank_account_encrypted, l.bank_account_encrypted) AS bank_account_encrypted
            FROM payment p LEFT JOIN claim c ON c.id = p.claim_id LEFT JOIN loan_subsidy l ON l.id = p.loan_subsidy_id
            WHERE p.batch_id = \(id) ORDER BY p.id
            """)
        var text = "payment_id,reference_id,account,amount_fen\n"
        var total: Int64 = 0
        for row in rows.rows {
            let amount = try row.decode("amount", as: Int64.self)
            total += amount
            let account = try context.service.personalData.decrypt(try row.decode("bank_account_encrypted", as: String.self))
            text += "\(try row.decode("id", as: UUID.self).lowercasedText),\(try row.decode("reference_id", as: UUID.self).lowercasedText),"
                + "\(account),\(amount)\n"
        }
        return text + "#checksum,\(rows.rows.count),\(total),\(Self.sha256(Array(text.utf8)))\n"
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).lowercaseHex
    }
}
