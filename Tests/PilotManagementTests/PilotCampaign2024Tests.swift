import Contracts
import Foundation
import HTTPTypes
import ServiceTestSupport
import Testing
@testable import PilotManagement

/// A second campaign year loaded from the seed files (`seeds/campaign/2024.json`, `seeds/calendar/2024.json`), with
/// no code that names 2024.
@Suite("pilot-management runs the 2024 campaign year from its seed files")
struct PilotCampaign2024Tests {
    @Test func aThirdBatchRegionIsApprovedAndSchedules2024ActivitiesAndIsRemindedOfThe2024Deadline() async throws {
        let harness = try await PilotHarness.make(today: "2024-03-15", campaign: SeedCampaigns.year(2024))
        // The new year's batch and its cap come from its notice.
        #expect(try await harness.count("batch WHERE year = 2024 AND region_cap = 5") == 1)
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            try await client.review(id, by: "MOHURD", "concur")
            try await client.review(id, by: "NRRA", "concur")
            try await client.review(id, by: "SAMR", "concur")
            let approved = try await client.review(id, by: "MIIT", "concur")
            #expect(approved.json["status"] as? String == "approved", "\(approved.text)")
            let region = try await client.send(.get, "/regions/320000", token: Tokens.ministry("MIIT"))
            #expect(region.json["batchYear"] as? Int == 2024)
            #expect(region.json["approvedOn"] as? String == "2024-03-15")

            #expect(try await client.launchMeeting("320000", on: "2024-03-14", place: "320100").status == .created)
            // Dragon Boat Festival 2024 (8–10 June), in the 2024 campaign period.
            let scheduled = try await client.schedule(
                client.activityJSON(place: "320115005", startsOn: "2024-06-08", endsOn: "2024-06-10"), in: "320000")
            #expect(scheduled.status == .created, "\(scheduled.text)")
            let lastYear = try await client.schedule(
                client.activityJSON(place: "320115005", startsOn: "2023-06-10", endsOn: "2023-06-11"), in: "320000")
            #expect(lastYear.status == .unprocessableContent)
            #expect(lastYear.fields.contains("startsOn"), "\(lastYear.text)")
        }
        let approvals = try await harness.events("gbm.pilot.region.approved.v1")
        #expect(approvals.first?.payload["batchYear"] as? Int == 2024)
        let scheduled = try await harness.events("gbm.pilot.activity.scheduled.v1")
        #expect(scheduled.first?.payload["startsOn"] as? String == "2024-06-08")
        #expect(try await harness.count("activity WHERE campaign_year = 2024 AND region_code = '320000'") == 2)

        // The summary report is due on the 2024 notice's day: reminders 14 days before it.
        let scheduler = ReportDeadlineScheduler(context: PilotContext(service: harness.host.context, settings: harness.settings))
        harness.clock.set("2024-11-16")
        #expect(try await scheduler.sendDueNotices().contains("320000"))
        let reminders = try await harness.events("gbm.pilot.region.report-reminder-sent.v1")
        #expect(!reminders.isEmpty)
        #expect(reminders.allSatisfy { $0.payload["dueOn"] as? String == "2024-11-30" && $0.payload["campaignYear"] as? Int == 2024 })
    }

    /// The 2022 batch's approval date is one date across the services: the campaign years' (`seeds/campaign`).
    @Test func theFirstBatchRegionsCarryTheCampaignYearsApprovalDate() async throws {
        let harness = try await PilotHarness.make(today: "2024-03-15", campaign: SeedCampaigns.year(2024))
        let approvedOn = try #require(SeedCampaigns.book.batches.first { $0.year == 2022 }?.approvedOn)
        try await harness.run { client in
            for region in ["330000", "370000", "440000"] {
                let reply = try await client.send(.get, "/regions/\(region)", token: Tokens.ministry("MIIT"))
                #expect(reply.json["approvedOn"] as? String == approvedOn.description)
                #expect(reply.json["batchYear"] as? Int == 2022)
            }
        }
    }

    /// The notice in force is public: a client reads the year and its period instead of knowing them.
    @Test func theCampaignInForceIsPublishedFromItsNotice() async throws {
        let harness = try await PilotHarness.make(today: "2024-03-15", campaign: SeedCampaigns.year(2024))
        try await harness.run { client in
            let reply = try await client.send(.get, "/campaign")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["year"] as? Int == 2024)
            #expect(reply.json["startsOn"] as? String == "2024-01-01")
            #expect(reply.json["summaryReportDueOn"] as? String == "2024-11-30")
            #expect((reply.json["batch"] as? [String: Any])?["regionCap"] as? Int == 5)
            #expect(reply.json["number"] == nil, "the 2024 notice's number is not recorded")
        }
        let harness2023 = try await PilotHarness.make(campaign: SeedCampaigns.year(2023))
        try await harness2023.run { client in
            let reply = try await client.send(.get, "/campaign")
            #expect(reply.json["number"] as? String == "工信厅联原函〔2023〕50号")
            #expect(reply.json["theme"] as? String == "绿色建材进万家 美好生活共创建")
            #expect((reply.json["promotionGroup"] as? [Any])?.count == 2)
        }
    }
}
