import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// Sends each approved region that has not reported the summary-report reminders (14 and 3 days before
/// 30 November) and the overdue notice, each once per region: the `deadline_notice` row and the event are
/// written in one transaction, so replicas running side by side never send one twice.
struct ReportDeadlineScheduler: Service {
    let context: PilotContext

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sendDueNotices()
                } catch {
                    context.logger.warning("deadline check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: context.settings.deadlineCheckInterval)
            }
        }
    }

    /// Sends the notices due today (by the settings' clock); returns the regions notified.
    @discardableResult
    func sendDueNotices() async throws -> [String] {
        let settings = context.settings
        let today = settings.today
        let dueOn = settings.reportDueOn
        guard let notice = ReportDeadline.notice(on: today, dueOn: dueOn) else { return [] }
        let now = context.clock.now()
        let year = settings.campaignYear
        let notified = try await context.pool.transaction { connection in
            let rows = try await connection.query("""
                INSERT INTO deadline_notice (region_code, campaign_year, kind, sent_at)
                SELECT code, \(year), \(notice.rawValue), \(now) FROM region
                WHERE status = 'approved' AND summary_report_submitted_on IS NULL
                ON CONFLICT DO NOTHING
                RETURNING region_code
                """)
            let codes = try rows.rows.map { try $0.decode("region_code", as: String.self) }.sorted()
            var events: [CloudEvent] = []
            for code in codes {
                let region = try DivisionCode(validating: code)
                if let days = notice.daysBefore {
                    events.append(try CloudEvent(
                        source: context.outbox.source.eventSource,
                        payload: RegionReportReminderSent(
                            regionCode: region, campaignYear: year, dueOn: dueOn, daysBefore: days, sentAt: now),
                        time: now))
                } else {
                    events.append(try CloudEvent(
                        source: context.outbox.source.eventSource,
                        payload: RegionReportDeadlineMissed(regionCode: region, campaignYear: year, dueOn: dueOn, detectedAt: now),
                        time: now))
                }
            }
            try await context.outbox.append(events, on: connection)
            return codes
        }
        if !notified.isEmpty {
            context.logger.info("summary report notices sent", metadata: [
                "deadline.notice": "\(notice.rawValue)", "deadline.regions": "\(notified.count)",
            ])
        }
        return notified
    }
}
