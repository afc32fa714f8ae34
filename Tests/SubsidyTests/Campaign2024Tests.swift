import Contracts
import Foundation
import ServiceTestSupport
import Testing
@testable import Subsidy

/// A 2024 claim's payment is due on a 2024 working day, as the seed files' 2024 calendar gives it.
@Suite("subsidy counts 2024 payment due days on the 2024 calendar")
struct Campaign2024Tests {
    @Test func aClaimApprovedBeforeNationalDay2024IsDueFifteenWorkingDaysLaterOnThe2024Calendar() async throws {
        let harness = try await SubsidyHarness.make(today: "2024-09-27", workingDays: SeedCampaigns.book.calendar)
        let job = PaymentDeadlineJob(context: harness.context)
        try await harness.run { client in
            let setup = try await harness.openProgramme(
                client, programme: Sample.purchaseProgramme(region: "330100", startsOn: "2024-01-01", endsOn: "2024-12-31"))
            var claim = setup.claim()
            claim.purchasedOn = "2024-09-20"
            let reply = try await client.send(.post, "/claims", token: Tokens.consumer(), json: claim.json)
            #expect(reply.json["status"] as? String == "approved", "\(reply.text)")
            // After Fri 27 Sep: Sun 29 Sep (make-up) and Mon 30 Sep, the 1–7 Oct holiday, then 8–11 Oct, Sat 12 Oct
            // (make-up) and 14–23 Oct.
            #expect(reply.json["paymentDueOn"] as? String == "2024-10-23")
            harness.clock.set("2024-10-23")
            #expect(try await job.announceOverdue() == 0)
            harness.clock.set("2024-10-24")
            #expect(try await job.announceOverdue() == 1)
        }
    }
}
