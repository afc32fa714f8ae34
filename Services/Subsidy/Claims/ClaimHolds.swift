import Contracts
import Foundation
import Messaging
import Postgres

/// Holds the approved, unpaid claims that bought under a certificate the catalogue suspended or revoked, when that
/// event arrives (rule `certificate-withdrawn`); their reservations stay until reviewers decide. A claim already in
/// a payment batch sent to the bank is left to the batch (the bank may already have paid it; a clawback corrects
/// it), and a claim already held only gains the rule.
struct ClaimHolds: Sendable {
    let context: SubsidyContext

    func holdUnpaid(certificate: CertificateNumber, triggeringEventID: String, on connection: PostgresConnection) async throws {
        let now = context.clock.now()
        try await connection.query("""
            UPDATE claim SET hold_rules = array_append(hold_rules, 'certificate-withdrawn')
            WHERE status = 'held' AND NOT ('certificate-withdrawn' = ANY(hold_rules))
              AND id IN (SELECT claim_id FROM claim_line WHERE certificate_number = \(certificate.rawValue))
            """)
        let held = try await connection.query("""
            UPDATE claim SET status = 'held', hold_rules = CASE WHEN 'certificate-withdrawn' = ANY(hold_rules) THEN hold_rules
                    ELSE array_append(hold_rules, 'certificate-withdrawn') END,
                payment_due_on = NULL
            WHERE status = 'approved' AND payment_batch_id IS NULL
              AND id IN (SELECT claim_id FROM claim_line WHERE certificate_number = \(certificate.rawValue))
            RETURNING id, programme_id, region_code, consumer_ref, reserved_amount, reviews_required, hold_rules
            """)
        var events: [CloudEvent] = []
        for row in held.rows {
            events.append(try CloudEvent(source: context.outbox.source.eventSource, payload: ClaimHeld(
                claimID: try row.decode("id", as: UUID.self).lowercasedText,
                programmeID: try row.decode("programme_id", as: UUID.self).lowercasedText,
                regionCode: try row.identifier("region_code", as: DivisionCode.self),
                consumerRef: try row.identifier("consumer_ref", as: ConsumerRef.self),
                rules: try row.decode("hold_rules", as: [String].self).compactMap(ClaimHoldRule.init(rawValue:)),
                reservedAmount: Fen(try row.decode("reserved_amount", as: Int64.self)),
                reviewsRequired: try row.decode("reviews_required", as: Int.self),
                triggeringEventID: String(triggeringEventID.prefix(100)), heldAt: now), time: now))
        }
        if !events.isEmpty { try await context.outbox.append(events, on: connection) }
    }
}
