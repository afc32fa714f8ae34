import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// The bank's confirmation file for a batch: a header line `payment_id,status,bank_reference,reason`, then one line
/// per payment with status `paid` (and the bank's reference) or `failed` (and the bank's reason). The whole file
/// is checked before anything changes; a payment is confirmed only while it is pending, so a file imported again
/// changes nothing. A paid payment pays its claim or loan period (ledger: paid); a failed one returns it to the
/// pool for the next batch.
struct PaymentConfirmation: Sendable {
    let context: SubsidyContext

    struct Line: Sendable {
        var number: Int
        var paymentID: UUID
        var paid: Bool
        var bankReference: String?
        var reason: String?
    }

    static let header = "payment_id,status,bank_reference,reason"

    /// The file's lines, or `confirmation-file-invalid` naming the first bad line.
    static func parse(_ text: String) throws(SubsidyError) -> [Line] {
        var lines: [Line] = []
        var seen: Set<UUID> = []
        let rows = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard rows.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            throw .confirmationInvalid(line: 1, reason: "the first line must be `\(header)`")
        }
        for (index, raw) in rows.enumerated().dropFirst() {
            let number = index + 1
            let row = raw.trimmingCharacters(in: .whitespaces)
            if row.isEmpty { continue }
            let fields = row.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2, let id = UUID(uuidString: fields[0]) else {
                throw .confirmationInvalid(line: number, reason: "must start with a payment id")
            }
            guard seen.insert(id).inserted else { throw .confirmationInvalid(line: number, reason: "names payment \(fields[0]) twice") }
            let reference = fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil
            let reason = fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil
            switch fields[1] {
            case "paid":
                guard let reference, reference.unicodeScalars.count <= 100 else {
                    throw .confirmationInvalid(line: number, reason: "a paid payment needs the bank's reference (at most 100 characters)")
                }
                lines.append(Line(number: number, paymentID: id, paid: true, bankReference: reference, reason: nil))
            case "failed":
                guard let reason, reason.unicodeScalars.count <= 500 else {
                    throw .confirmationInvalid(line: number, reason: "a failed payment needs the bank's reason (at most 500 characters)")
                }
                lines.append(Line(number: number, paymentID: id, paid: false, bankReference: reference, reason: reason))
            default:
                throw .confirmationInvalid(line: number, reason: "status must be paid or failed")
            }
        }
        guard !lines.isEmpty else { throw .confirmationInvalid(line: rows.count, reason: "the file confirms no payment") }
        return lines
    }

    func importFile(_ text: String, batch id: UUID, access: RegionAccess) async throws -> PaymentDesk.ConfirmationResult {
        let lines = try Self.parse(text)
        let now = context.clock.now()
        return try await context.pool.transaction { connection in
            let batch = try await connection.query(
                "SELECT programme_id, region_code FROM payment_batch WHERE id = \(id) FOR UPDATE")
            guard let batchRow = batch.first else { throw SubsidyError.paymentBatchNotFound(id.lowercasedText) }
            _ = try access(try batchRow.decode("region_code", as: String.self))
            let programmeID = try batchRow.decode("programme_id", as: UUID.self)
            let rows = try await connection.query("""
                SELECT p.id, p.claim_id, p.loan_subsidy_id, p.loan_period, p.amount, p.status,
                    coalesce(c.consumer_ref, l.consumer_ref) AS consumer_ref, coalesce(c.region_code, l.region_code) AS region_code
                FROM payment p LEFT JOIN claim c ON c.id = p.claim_id LEFT JOIN loan_subsidy l ON l.id = p.loan_subsidy_id
                WHERE p.batch_id = \(id) ORDER BY p.id FOR UPDATE OF p
                """)
            var payments: [UUID: PostgresRow] = [:]
            for row in rows.rows { payments[try row.decode("id", as: UUID.self)] = row }
            for line in lines where payments[line.paymentID] == nil {
                throw SubsidyError.confirmationInvalid(line: line.number, reason: "payment \(line.paymentID.lowercasedText) is not in this batch")
            }
            var result = PaymentDesk.ConfirmationResult(paid: 0, failed: 0, alreadyConfirmed: 0)
            var events: [CloudEvent] = []
            let source = context.outbox.source.eventSource
            let ledger = BudgetLedger(programmeID: programmeID)
            for line in lines {
                let row = payments[line.paymentID]!
                guard try row.decode("status", as: String.self) == "pending" else {
                    result.alreadyConfirmed += 1
                    continue
                }
                let claimID = try row.decode("claim_id", as: UUID?.self)
                let loanID = try row.decode("loan_subsidy_id", as: UUID?.self)
                let period = try row.decode("loan_period", as: Int?.self)
                let referenceID = (claimID ?? loanID)!
                let purpose: PaymentPurpose = claimID != nil ? .purchaseSubsidy : .loanInterestSubsidy
                let amount = Fen(try row.decode("amount", as: Int64.self))
                let region = try row.identifier("region_code", as: DivisionCode.self)
                let consumer = try row.identifier("consumer_ref", as: ConsumerRef.self)
                if line.paid {
                    try await connection.query("""
                        UPDATE payment SET status = 'paid', bank_reference = \(line.bankReference), confirmed_at = \(now)
                        WHERE id = \(line.paymentID)
                        """)
                    if let claimID {
                        try await connection.query("UPDATE claim SET status = 'paid', paid_at = \(now) WHERE id = \(claimID)")
                        events.append(try CloudEvent(source: source, payload: ClaimPaid(
                            claimID: claimID.lowercasedText, programmeID: programmeID.lowercasedText, regionCode: region,
                            consumerRef: consumer, paymentID: line.paymentID.lowercasedText, amount: amount, paidAt: now), time: now))
                    } else if let loanID, let period {
                        try await connection.query("""
                            UPDATE loan_subsidy_period SET paid_at = \(now) WHERE subsidy_id = \(loanID) AND period = \(period)
                            """)
                    }
                    try await ledger.paid(amount, claim: referenceID, at: now, on: connection)
                    events.append(try CloudEvent(source: source, payload: PaymentMade(
                        paymentID: line.paymentID.lowercasedText, purpose: purpose, referenceID: referenceID.lowercasedText,
                        programmeID: programmeID.lowercasedText, regionCode: region, consumerRef: consumer, amount: amount,
                        bankReference: line.bankReference!, paidAt: now), time: now))
                    result.paid += 1
                } else {
                    try await connection.query("""
                        UPDATE payment SET status = 'failed', bank_reference = \(line.bankReference),
                            failure_reason = \(line.reason), confirmed_at = \(now) WHERE id = \(line.paymentID)
                        """)
                    if let claimID {
                        try await connection.query("UPDATE claim SET payment_batch_id = NULL WHERE id = \(claimID)")
                    } else if let loanID, let period {
                        try await connection.query("""
                            UPDATE loan_subsidy_period SET payment_batch_id = NULL WHERE subsidy_id = \(loanID) AND period = \(period)
                            """)
                    }
                    let attempts = try await connection.query("""
                        SELECT count(*)::bigint AS n FROM payment WHERE status = 'failed'
                          AND (claim_id = \(claimID) OR (loan_subsidy_id = \(loanID) AND loan_period = \(period)))
                        """)
                    events.append(try CloudEvent(source: source, payload: PaymentFailed(
                        paymentID: line.paymentID.lowercasedText, purpose: purpose, referenceID: referenceID.lowercasedText,
                        programmeID: programmeID.lowercasedText, regionCode: region, consumerRef: consumer, amount: amount,
                        attempt: Int(try attempts.first!.decode("n", as: Int64.self)), willRetry: true,
                        failureReason: line.reason!, failedAt: now), time: now))
                    result.failed += 1
                }
            }
            if !events.isEmpty { try await context.outbox.append(events, on: connection) }
            return result
        }
    }
}
