import Contracts
import Foundation
import Messaging
import Postgres
import ServiceLifecycle

/// Announces each approved claim not paid by its due day (15 working days after approval, on the working-day
/// calendar) once: the flag and the event are written in one transaction, so replicas side by side never announce
/// one twice.
struct PaymentDeadlineJob: Service {
    let context: SubsidyContext

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await announceOverdue()
                } catch {
                    context.logger.warning("payment deadline check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: context.settings.deadlineCheckInterval)
            }
        }
    }

    /// Announces the claims overdue today (by the settings' clock); returns how many.
    @discardableResult
    func announceOverdue(limit: Int = 1_000) async throws -> Int {
        let now = context.clock.now()
        let today = WorkingDayCalendar.day(of: now)
        return try await context.pool.transaction { connection in
            let rows = try await connection.query("""
                UPDATE claim SET overdue_notified_at = \(now)
                WHERE id IN (
                    SELECT id FROM claim WHERE status = 'approved' AND overdue_notified_at IS NULL
                      AND payment_due_on < \(today.description)::date
                    ORDER BY payment_due_on LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id, programme_id, region_code, reserved_amount, approved_on::text AS approved_on,
                    payment_due_on::text AS payment_due_on
                """)
            var events: [CloudEvent] = []
            for row in rows.rows {
                events.append(try CloudEvent(source: context.outbox.source.eventSource, payload: ClaimPaymentOverdue(
                    claimID: try row.decode("id", as: UUID.self).lowercasedText,
                    programmeID: try row.decode("programme_id", as: UUID.self).lowercasedText,
                    regionCode: try row.identifier("region_code", as: DivisionCode.self),
                    amount: Fen(try row.decode("reserved_amount", as: Int64.self)),
                    approvedOn: try row.calendarDate("approved_on"), paymentDueOn: try row.calendarDate("payment_due_on"),
                    detectedAt: now), time: now))
            }
            if !events.isEmpty { try await context.outbox.append(events, on: connection) }
            return events.count
        }
    }
}
