import Contracts
import Foundation
import HTTPTypes
import Postgres
import Testing
@testable import Complaints

@Suite("Complaint deadlines", .serialized)
struct DeadlineTests {
    @Test func handlersAreRemindedBeforeAndABreachIsEscalatedOnceTheDayAfterTheDeadline() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        try await harness.run { client in
            let id = try await client.file(Sample.caseJSON()).id
            // Fri 6 Oct is a holiday; the next two working days are the make-up Sat 7 and Sun 8 Oct: not yet.
            harness.clock.set("2023-10-06")
            #expect(try await harness.deadlineJob.scan() == CaseDeadlineJob.Scan())
            harness.clock.set("2023-10-10")
            #expect(try await harness.deadlineJob.scan() == CaseDeadlineJob.Scan(breached: 0, reminded: 1))
            let reminded = try await client.send(.get, "/cases?dueBefore=2023-10-12", token: Tokens.regulator("330106"))
            let listed = try #require((reminded.json["cases"] as? [[String: Any]])?.first)
            #expect(listed["reminderSent"] as? Bool == true)
            harness.clock.set("2023-10-12")
            #expect(try await harness.deadlineJob.scan() == CaseDeadlineJob.Scan())
            harness.clock.set("2023-10-13")
            #expect(try await harness.deadlineJob.scan() == CaseDeadlineJob.Scan(breached: 1))
            #expect(try await harness.deadlineJob.scan() == CaseDeadlineJob.Scan())
            let breach = try #require(try await harness.events(ComplaintDeadlineBreached.eventType.name).first)
            #expect(breach.key == id)
            #expect(breach.payload["deadline"] as? String == "acceptance")
            #expect(breach.payload["dueOn"] as? String == "2023-10-12")
            let view = try await client.send(.get, "/cases/\(id)", token: Tokens.regulator("330106"))
            #expect(view.json["overdue"] as? Bool == true)
            #expect((view.json["breaches"] as? [[String: Any]])?.count == 1)
            let overdue = try await client.send(.get, "/cases?overdue=true", token: Tokens.samr())
            #expect((overdue.json["cases"] as? [Any])?.count == 1)
            // Accepting late is still possible; the new deadline starts unbreached.
            let accepted = try await client.transition(id, #"{"action":"accept"}"#, token: Tokens.regulator("330106"))
            #expect(accepted.json["overdue"] as? Bool == false)
        }
    }

    /// More breaches than one pass takes (1,000): the check goes on until none is left, each announced once.
    @Test func aFullCheckTakesEveryBreachInPassesOfAThousand() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-10-16")
        try await harness.pool.query("""
            INSERT INTO \(identifier: harness.schema).complaint_case (id, case_number, secret_hash, kind, channel, category,
                status, region_code, handling_division, consumer_ref, name_masked, phone_masked, contact_encrypted,
                respondent_known, respondent_key, certificate_known, claim_known, facts, facts_hash, received_on,
                received_at, due_deadline, due_on, updated_at)
            SELECT gen_random_uuid(), 'TS' || lpad(n::text, 14, '0'), md5(n::text), 'complaint', 'web-form',
                'false-green-claim', 'received', '330100', '330106', md5('c' || n), '王*', '139****0000', 'x', false,
                'name:某店', false, false, '事实', md5(n::text), DATE '2023-09-27', now(), 'acceptance',
                CASE WHEN n <= 2500 THEN DATE '2023-10-12' ELSE DATE '2023-11-30' END, now()
            FROM generate_series(1, 2600) AS n
            """)
        #expect(try await harness.deadlineJob.check() == CaseDeadlineJob.Scan(breached: 2500))
        #expect(try await harness.count("complaint_case WHERE breached_at IS NOT NULL") == 2500)
        #expect(try await harness.events(ComplaintDeadlineBreached.eventType.name).count == 2500)
        #expect(try await harness.deadlineJob.check() == CaseDeadlineJob.Scan(), "nothing is announced twice")
    }

    @Test func mediationWithoutAgreementIsTerminatedAfterFortyFiveWorkingDaysAndThePartiesMustBeToldWithinSeven() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        let calendar = WorkingDayCalendar.china2023
        try await harness.run { client in
            let id = try await client.file(Sample.caseJSON()).id
            let handler = Tokens.regulator("330106")
            harness.clock.set("2023-09-28")
            try await client.transition(id, #"{"action":"accept"}"#, token: handler)
            try await client.transition(id, #"{"action":"start-mediation","mediator":"西湖区消费者协会"}"#, token: handler)
            let due = calendar.addingWorkingDays(45, to: CalendarDate("2023-09-28")!)
            harness.clock.set(due.description)
            #expect(try await harness.deadlineJob.scan().terminated == 0)
            let dayAfter = due.adding(days: 1)
            harness.clock.set(dayAfter.description)
            let scan = try await harness.deadlineJob.scan()
            #expect(scan.breached == 1 && scan.terminated == 1)
            let view = try await client.send(.get, "/cases/\(id)", token: handler)
            #expect(view.caseStatus == "mediation-terminated")
            #expect(view.string("dueDeadline") == "termination-notice")
            #expect(view.string("dueOn") == calendar.addingWorkingDays(7, to: dayAfter).description)
            let terminated = try #require(try await harness.events(ComplaintMediationTerminated.eventType.name).first)
            #expect(terminated.payload["actorRole"] as? String == "system")
            let closed = try await client.transition(id, #"{"action":"close"}"#, token: handler)
            #expect(closed.string("outcome") == "mediation-terminated")
        }
    }

    @Test func aClosedComplaintCannotBeReopenedAfterThePeriod() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON())
            let handler = Tokens.regulator("330106")
            try await client.transition(filed.id, #"{"action":"not-accept","reasonCode":"already-handled","reason":"已由法院受理"}"#, token: handler)
            let closed = try await client.transition(filed.id, #"{"action":"close"}"#, token: handler)
            let until = try #require(closed.string("reopenableUntil"))
            harness.clock.set(CalendarDate(until)!.adding(days: 1).description)
            let late = try await client.send(.post, "/public/cases/\(filed.string("caseNumber")!)/reopening", json: #"{"reason":"不服"}"#,
                                             headers: [CaseRoutes.secretHeader: filed.string("secret")!])
            #expect(late.status == .conflict)
            #expect(late.code == "reopen-period-over")
            #expect(try await harness.count("complaint_case WHERE status = 'closed'") == 1)
        }
    }
}

@Suite("Complaint channels", .serialized)
struct ChannelTests {
    @Test func aRegionPublishesItsChannelsAndAnyoneReadsThemWithoutAnAccount() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let body = #"{"hotline":"0571-12345","handover12315":true,"onlineAddress":"https://12315.hz.gov.cn","officeHours":"工作日 9:00-17:00"}"#
            let other = try await client.send(.put, "/regions/330100/complaint-channels", token: Tokens.region("370000"), json: body)
            #expect(other.status == .forbidden)
            let bad = try await client.send(.put, "/regions/330100/complaint-channels", token: Tokens.region("330100"),
                                            json: #"{"hotline":"call us","handover12315":false,"onlineAddress":"ftp://x"}"#)
            #expect(Set(bad.fields) == ["hotline", "onlineAddress"])
            #expect(try await client.send(.get, "/public/regions/330100/complaint-channels").status == .notFound)
            let published = try await client.send(.put, "/regions/330100/complaint-channels", token: Tokens.region("330100"), json: body)
            #expect(published.status == .ok, "\(published.text)")
            let shown = try await client.send(.get, "/public/regions/330100/complaint-channels")
            #expect(shown.status == .ok)
            #expect(shown.string("hotline") == "0571-12345")
            let event = try #require(try await harness.events(ComplaintChannelsPublished.eventType.name).first)
            #expect(event.key == "330100")
        }
    }
}
