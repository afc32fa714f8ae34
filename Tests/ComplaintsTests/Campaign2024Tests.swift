import Contracts
import Foundation
import ServiceTestSupport
import Testing
@testable import Complaints

/// The deadlines of a 2024 complaint fall on 2024 working days, as the 2024 calendar of the seed files
/// (`seeds/calendar/2024.json`, 国办发明电〔2023〕7号) gives them.
@Suite("complaints counts 2024 deadlines on the 2024 calendar")
struct Campaign2024Tests {
    @Test func anAcceptanceDeadlineAcrossNationalDay2024CountsItsMakeUpWorkingDays() async throws {
        let harness = try await ComplaintsHarness.make(today: "2024-09-27") { $0.workingDays = SeedCampaigns.book.calendar }
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON())
            #expect(filed.status == .created, "\(filed.text)")
            // Seven working days after Fri 27 Sep: Sun 29 Sep (make-up), Mon 30 Sep, then after the 1–7 Oct holiday
            // Tue 8 to Fri 11 Oct and Sat 12 Oct (make-up).
            let received = try #require(try await harness.events(ComplaintReceived.eventType.name).first)
            #expect(received.payload["acceptanceDueOn"] as? String == "2024-10-12")
            harness.clock.set("2024-10-12")
            #expect(try await harness.deadlineJob.scan().breached == 0)
            harness.clock.set("2024-10-13")
            #expect(try await harness.deadlineJob.scan().breached == 1)
        }
    }
}
