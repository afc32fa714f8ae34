import Contracts
import Foundation
import ServiceHost
import ServiceTestSupport
import Testing
@testable import Reporting

/// reporting with the campaign years of the seed files: the 2024 report deadline is the 2024 notice's, and a 2024
/// complaint's handling time is counted on the 2024 calendar.
@Suite("reporting runs the 2024 campaign year from its seed files")
struct Campaign2024Tests {
    @Test func a2024ComplaintIsCountedIn2024WorkingDaysAndThe2024ReportsAreDueOnThe2024NoticesDay() async throws {
        let harness = try await ReportingHarness.make(today: "2024-12-02", campaigns: SeedCampaigns.book)
        let script = CampaignScript()
        let region = try DivisionCode(validating: script.region)
        let complaint = Sample.id()
        var received = ComplaintReceived.example
        received.complaintID = complaint
        received.regionCode = region
        received.receivedOn = Sample.day("2024-09-27")
        received.receivedAt = Sample.noon("2024-09-27")
        var closed = ComplaintClosed.example
        closed.complaintID = complaint
        closed.regionCode = region
        closed.closedAt = Sample.noon("2024-10-12")
        try await harness.deliver(script.events)
        let complaintEvents = [Sample.event(received), Sample.event(closed)]
        try await harness.run { client in
            @Sendable func handling() async throws -> [String: Any] {
                let overview = try await client.get("/overview?regionCode=\(script.region)&on=2024-10-31", token: Tokens.ministry())
                #expect(overview.status == .ok, "\(overview.text)")
                return overview.json["complaintHandling"] as? [String: Any] ?? [:]
            }
            let before = try await handling()
            try await harness.deliver(complaintEvents)
            let after = try await handling()
            // (27 Sep, 12 Oct] on the 2024 calendar: Sun 29 Sep and Mon 30 Sep, 8–11 Oct, Sat 12 Oct = 7 working days
            // (the 2023 calendar alone would count the holiday week and not the make-up weekend days).
            #expect((after["handled"] as? Int ?? 0) - (before["handled"] as? Int ?? 0) == 1, "\(before) \(after)")
            #expect((after["handlingWorkingDays"] as? Int ?? 0) - (before["handlingWorkingDays"] as? Int ?? 0) == 7, "\(before) \(after)")

            let outstanding = try await client.get("/campaigns/2024/outstanding-reports", token: Tokens.promotionGroup())
            #expect(outstanding.status == .ok, "\(outstanding.text)")
            #expect(outstanding.json["deadline"] as? String == "2024-11-30")
        }
    }
}
