import Contracts
import Foundation
import ServiceTestSupport
import Testing
@testable import PilotManagement

@Suite("Summary report deadline notices")
struct PilotDeadlineTests {
    @Test func noticeWindowsAre14And3DaysBeforeAndOverdueAfter() {
        let due = CalendarDate("2023-11-30")!
        #expect(ReportDeadline.notice(on: CalendarDate("2023-11-15")!, dueOn: due) == nil)
        #expect(ReportDeadline.notice(on: CalendarDate("2023-11-16")!, dueOn: due) == .reminder14)
        #expect(ReportDeadline.notice(on: CalendarDate("2023-11-26")!, dueOn: due) == .reminder14)
        #expect(ReportDeadline.notice(on: CalendarDate("2023-11-27")!, dueOn: due) == .reminder3)
        #expect(ReportDeadline.notice(on: CalendarDate("2023-11-30")!, dueOn: due) == .reminder3)
        #expect(ReportDeadline.notice(on: CalendarDate("2023-12-01")!, dueOn: due) == .overdue)
    }

    @Test func remindersAndTheOverdueNoticeGoOutOncePerRegionExceptToRegionsThatReported() async throws {
        let harness = try await PilotHarness.make(today: "2023-11-01")
        let scheduler = ReportDeadlineScheduler(context: PilotContext(service: harness.host.context, settings: harness.settings))
        #expect(try await scheduler.sendDueNotices().isEmpty)
        harness.clock.set("2023-11-16")
        #expect(try await scheduler.sendDueNotices().count == 7)
        #expect(try await scheduler.sendDueNotices().isEmpty, "a second run sends nothing again")
        harness.clock.set("2023-11-20")
        #expect(try await scheduler.sendDueNotices().isEmpty)
        // reporting publishes the submission; a report of another year, or of a region not approved, changes nothing.
        let handler = try #require(harness.host.definition.handlers(harness.host.context)
            .first { $0.eventType == SummaryReportSubmitted.eventType.name })
        for (region, year) in [("440000", 2023), ("330000", 2022), ("320000", 2023)] {
            var submitted = SummaryReportSubmitted.example
            submitted.regionCode = try DivisionCode(validating: region)
            submitted.campaignYear = year
            submitted.submittedAt = TestClock.noon("2023-11-20")
            let event = try CloudEvent(source: "/gbm/reporting", payload: submitted, time: submitted.submittedAt)
            try await harness.pool.transaction { connection in try await handler.handle(event, connection) }
        }
        try await harness.run { client in
            let reported = try await client.send(.get, "/regions/440000", token: Tokens.region("440000"))
            #expect(reported.json["summaryReportSubmittedOn"] as? String == "2023-11-20")
            #expect(try await client.send(.post, "/regions/440000/summary-report", token: Tokens.region("440000"), json: "{}").status == .notFound,
                    "the route is gone: reporting owns submission")
        }
        let scheduler2 = scheduler
        harness.clock.set("2023-11-28")
        #expect(try await scheduler2.sendDueNotices().count == 6)
        harness.clock.set("2023-12-01")
        let overdue = try await scheduler2.sendDueNotices()
        #expect(overdue.count == 6)
        #expect(!overdue.contains("440000"))
        #expect(try await scheduler2.sendDueNotices().isEmpty)

        let reminders = try await harness.events("gbm.pilot.region.report-reminder-sent.v1")
        #expect(reminders.filter { $0.payload["daysBefore"] as? Int == 14 }.count == 7)
        #expect(reminders.filter { $0.payload["daysBefore"] as? Int == 3 }.count == 6)
        #expect(reminders.allSatisfy { $0.payload["dueOn"] as? String == "2023-11-30" })
        #expect(try await harness.events("gbm.pilot.region.report-deadline-missed.v1").count == 6)
    }
}
