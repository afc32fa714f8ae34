import Contracts
import Foundation
import Synchronization
import Testing
@testable import Reporting

@Suite("Reporting projections from a scripted campaign")
struct ProjectionTests {
    /// Every figure of the scripted city, as the overview reports it.
    private func overview(_ harness: ReportingHarness, region: String) async throws -> [String: Int] {
        let entries = Mutex<[String: Int]>([:])
        try await harness.run { client in
            let reply = try await client.get("/overview?regionCode=\(region)&on=2023-11-20", token: Tokens.ministry())
            #expect(reply.status == .ok, "\(reply.text)")
            entries.withLock { $0 = reply.entries }
        }
        return entries.withLock { $0 }
    }

    @Test func aScriptedCampaignGivesExactlyItsFigures() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        let entries = try await overview(harness, region: script.region)
        for (key, value) in CampaignScript.expectedOverview {
            #expect(entries[key] == value, "\(key)")
        }
        try await harness.run { client in
            let reply = try await client.get("/overview?regionCode=\(script.region)&on=2023-11-20", token: Tokens.ministry())
            let use = reply.json["budgetUse"] as? [String: Any] ?? [:]
            #expect(use["budget"] as? Int == 12_000_000)
            #expect(use["committed"] as? Int == 12_000, "approved 24 000 minus 12 000 clawed back")
            #expect(use["paidNet"] as? Int == 12_000)
            #expect(use["usedBasisPoints"] as? Int == 35, "(12 000 + 30 000 loan) of 12 000 000")
            let handling = reply.json["complaintHandling"] as? [String: Any] ?? [:]
            for (key, value) in CampaignScript.expectedComplaintHandling {
                #expect(handling[key] as? Int == value, "complaintHandling.\(key)")
            }
        }
    }

    @Test func aCountyAndATownSeeOnlyWhatHappenedInThem() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        let county = try await overview(harness, region: script.county)
        #expect(county["activities.held|public-lecture/county"] == 1)
        #expect(county["activities.held|roadshow/town"] == 1, "the town lies in the county")
        #expect(county["certificates.valid|"] == 1, "the holder is registered in the county")
        #expect(county["claims|submitted"] == nil, "claims are the city's")
        let town = try await overview(harness, region: script.town)
        #expect(town["activities.held|roadshow/town"] == 1)
        #expect(town["activities.held|public-lecture/county"] == nil)
    }

    @Test func eventsOutOfOrderAndTwiceGiveTheSameFigures() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        // Reversed, then shuffled again with every event a second time (same ce_id): one at a time and in batches.
        try await harness.deliver(Array(script.events.reversed()))
        try await harness.deliver(script.events.shuffled())
        for event in script.events.shuffled().prefix(10) { try await harness.deliver([event]) }
        let entries = try await overview(harness, region: script.region)
        for (key, value) in CampaignScript.expectedOverview {
            #expect(entries[key] == value, "\(key)")
        }
    }

    @Test func aSeriesGivesEachMonthAndTheRunningTotal() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        try await harness.run { client in
            let reply = try await client.get(
                "/projections/participants.active?regionCode=\(script.region)&from=2023-04-01&to=2023-12-31&granularity=month",
                token: Tokens.region(script.region))
            #expect(reply.status == .ok, "\(reply.text)")
            let points = (reply.json["points"] as? [[String: Any]] ?? []).map {
                "\($0["period"]!) \($0["dimension"]!) \($0["value"]!) \($0["cumulative"]!)"
            }
            #expect(points == [
                "2023-04-01 e-commerce-platform 1 1",
                "2023-04-01 store 2 2",
                "2023-07-01 store -1 1",
            ])
            #expect(reply.totals == ["store": 1, "e-commerce-platform": 1])

            // A period after the facts: no points, the totals carried from before it.
            let later = try await client.get(
                "/projections/claims?regionCode=\(script.region)&from=2023-10-01&to=2023-10-31", token: Tokens.promotionGroup())
            #expect(later.status == .ok, "\(later.text)")
            #expect((later.json["points"] as? [Any])?.isEmpty == true)
            #expect(later.totals["paid"] == 2)

            let national = try await client.get("/projections/subsidy.approved?granularity=year", token: Tokens.ministry())
            #expect(national.status == .ok)
            #expect(national.totals[""] == 24_000)
        }
    }

    @Test func theCSVExportHasOneLinePerPoint() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        try await harness.run { client in
            let reply = try await client.get(
                "/projections/activities.attendance/csv?regionCode=\(script.region)&granularity=month", token: Tokens.ministry())
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(reply.text == """
                metric,region_code,period,dimension,value,cumulative
                activities.attendance,\(script.region),2023-05-01,public-lecture/county,120,120
                activities.attendance,\(script.region),2023-06-01,roadshow/town,80,80

                """)
        }
    }

    @Test func readersSeeWhatTheirRoleAllowsAndBadQueriesNameTheField() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        let other = script.region == "330100" ? "330200" : "330100"
        try await harness.run { client in
            #expect(try await client.get("/overview?regionCode=\(script.region)", token: Tokens.promotionGroup()).status == .ok)
            #expect(try await client.get("/overview", token: Tokens.promotionGroup()).status == .ok, "national")
            #expect(try await client.get("/overview", token: Tokens.region(script.region)).json["regionCode"] as? String == script.region,
                    "a regional official's own region by default")
            #expect(try await client.get("/overview?regionCode=\(script.county)", token: Tokens.region(script.region)).status == .ok)
            let foreign = try await client.get("/overview?regionCode=\(other)", token: Tokens.region(script.region))
            #expect(foreign.status == .forbidden)
            #expect(foreign.code == "region-not-allowed")
            #expect(try await client.get("/overview", token: Tokens.consumer()).status == .forbidden)
            #expect(try await client.get("/overview").status == .unauthorized)

            let unknownRegion = try await client.get("/overview?regionCode=110000", token: Tokens.ministry())
            #expect(unknownRegion.status == .notFound)
            #expect(unknownRegion.code == "region-not-found")
            let unknownMetric = try await client.get("/projections/nonsense", token: Tokens.ministry())
            #expect(unknownMetric.status == .notFound)
            #expect(unknownMetric.code == "metric-not-found")

            let outside = try await client.get("/projections/claims?from=2021-01-01&to=2024-02-01", token: Tokens.ministry())
            #expect(outside.status == .unprocessableContent)
            #expect(outside.fields == ["from", "to"])
            let reversed = try await client.get("/projections/claims?from=2023-06-01&to=2023-05-01", token: Tokens.ministry())
            #expect(reversed.fields == ["to"])
            let malformed = try await client.get(
                "/projections/claims?regionCode=33&from=June&granularity=week", token: Tokens.ministry())
            #expect(malformed.status == .unprocessableContent)
            #expect(Set(malformed.fields) == ["regionCode", "from", "granularity"])

            let regions = try await client.get("/pilot-regions", token: Tokens.region(script.region))
            #expect((regions.json["regions"] as? [[String: Any]])?.map { $0["regionCode"] as? String } == [script.region])
            let metrics = try await client.get("/projections", token: Tokens.promotionGroup())
            #expect((metrics.json["metrics"] as? [Any])?.count == Metric.allCases.count)
        }
    }

    @Test func eventsOfTypesItHasNoUseForAreCountedNotFatal() async throws {
        let harness = try await ReportingHarness.make()
        var unknown = Sample.event(RegionReportReminderSent.example)
        unknown.type = "gbm.pilot.region.renamed.v9"
        unknown.time = Sample.noon("2023-11-16")
        var reminder = Sample.event(RegionReportReminderSent.example)
        reminder.time = Sample.noon("2023-11-16")
        try await harness.deliver([unknown, reminder, unknown])
        try await harness.run { client in
            let reply = try await client.get("/projections/events.ignored?granularity=year", token: Tokens.ministry())
            #expect(reply.totals == ["gbm.pilot.region.renamed.v9": 1, RegionReportReminderSent.eventType.name: 1])
        }
    }
}
