import Contracts
import Foundation
import Logging
import Postgres
import ServiceKit
import ServiceTestSupport
import Testing
@testable import PilotManagement

@Suite("Pilot regions, the seeded first batch and the approval rule")
struct PilotRegionTests {
    static let firstBatch = ["120000", "330000", "350000", "370000", "430000", "440000", "510000"]

    /// The migration that inserted the 2022 batch published nothing, so the catalogue and subsidy never learnt
    /// those regions; every start now announces each approved region that was never announced, once.
    @Test func everyApprovedRegionIsAnnouncedOnTheTopicOnceAcrossRestarts() async throws {
        let harness = try await PilotHarness.make()
        let announced = try await harness.events("gbm.pilot.region.approved.v1", includingStartUp: true)
        #expect(announced.map(\.subject).sorted() == Self.firstBatch)
        #expect(announced.allSatisfy { $0.payload["batchYear"] as? Int == 2022 && $0.payload["applicationID"] == nil })
        #expect(announced.first { $0.subject == "330000" }?.payload["approvedOn"] as? String == "2022-12-01")
        #expect((announced.first?.payload["concurringDepartments"] as? [String])?.count == 6)
        // A restart (the start-up work again) announces nothing twice.
        try await harness.host.definition.startUp?(harness.host.context)
        #expect(try await harness.events("gbm.pilot.region.approved.v1", includingStartUp: true).count == 7)
        #expect(try await harness.count("region WHERE status = 'approved' AND approval_announced_at IS NULL") == 0)
    }

    /// A region's campaign is ready once it is approved, launched, has enrolled sellers and has told consumers where to
    /// complain: the last comes from the complaints service's topic.
    @Test func aRegionIsReadyOnlyOnceItsComplaintChannelsArePublished() async throws {
        let harness = try await PilotHarness.make()
        let seller = creditCode(Int.random(in: 1000...9999))
        try await harness.registerEnterprise(seller)
        try await harness.run { client in
            func readiness() async throws -> (ready: Bool?, missing: [String]?, channelsAt: String?) {
                let region = try await client.send(.get, "/regions/330000", token: Tokens.region("330000"))
                let readiness = region.json["readiness"] as? [String: Any]
                return (readiness?["ready"] as? Bool, readiness?["missing"] as? [String],
                        region.json["complaintChannelsPublishedAt"] as? String)
            }
            let fresh = try await readiness()
            #expect(fresh.ready == false)
            #expect(fresh.missing == ["launch-meeting", "participants", "complaint-channels"])
            #expect(try await client.launchMeeting("330000").status == .created)
            let enrolled = try await client.send(.post, "/regions/330000/participants", token: Tokens.region("330000"),
                                                 json: "{\"creditCode\":\"\(seller)\",\"pledgedDiscountBasisPoints\":500}")
            #expect(enrolled.status == .created, "\(enrolled.text)")
            #expect(try await readiness().missing == ["complaint-channels"])

            let published = Date(timeIntervalSince1970: 1_690_000_000)
            let channels = { (at: Date) in ComplaintChannelsPublished(
                regionCode: DivisionCode(rawValue: "330000")!, hotline: "0571-12345", handover12315: true,
                onlineAddress: "https://12315.zj.gov.cn", officeAddress: nil, officeHours: nil, actorRole: .regionalOfficial,
                publishedAt: at) }
            try await harness.host.deliverToHandler(channels(published))
            let ready = try await readiness()
            #expect(ready.ready == true)
            #expect(ready.missing == [])
            #expect(ready.channelsAt == "2023-07-22T04:26:40Z")
            // An older announcement delivered late does not move the time back.
            try await harness.host.deliverToHandler(channels(published.addingTimeInterval(-86_400)))
            #expect(try await readiness().channelsAt == "2023-07-22T04:26:40Z")
            // A region that has only applied misses its approval first.
            _ = try await client.draftApplication("320000")
            let applicant = try await client.send(.get, "/regions/320000", token: Tokens.ministry("MIIT"))
            #expect(applicant.status == .ok, "\(applicant.text)")
            #expect(applicant.json["status"] as? String == "applicant")
            #expect((applicant.json["readiness"] as? [String: Any])?["missing"] as? [String] == [
                "approval", "launch-meeting", "participants", "complaint-channels"])
        }
    }

    @Test func theSevenRegionsOfThe2022FirstBatchAreSeededApprovedAndPublic() async throws {
        let harness = try await PilotHarness.make()
        // Migrating again changes nothing: the seed is idempotent.
        let again = try await PostgresMigrator(
            schema: harness.schema, migrations: harness.host.definition.allMigrations, logger: Logger(label: "test")
        ).migrate(harness.pool)
        #expect(again.isEmpty)
        try await harness.run { client in
            let reply = try await client.send(.get, "/public/regions")
            #expect(reply.status == .ok)
            let regions = (reply.json["regions"] as? [[String: Any]]) ?? []
            #expect(regions.compactMap { $0["code"] as? String } == Self.firstBatch)
            #expect(regions.allSatisfy { $0["batchYear"] as? Int == 2022 })
            #expect(regions.first?["name"] as? String == "天津市")

            let listed = try await client.send(.get, "/regions?batchYear=2022&status=approved", token: Tokens.ministry("MIIT"))
            let summaries = (listed.json["regions"] as? [[String: Any]]) ?? []
            #expect(summaries.count == 7)
            #expect((summaries.first?["counts"] as? [String: Any])?["activitiesScheduled"] as? Int == 0)
            let bad = try await client.send(.get, "/regions?batchYear=twenty&status=dreaming", token: Tokens.ministry("MIIT"))
            #expect(Set(bad.fields) == ["batchYear", "status"])
            #expect(try await client.send(.get, "/regions", token: Tokens.consumer).status == .forbidden)
            #expect(try await client.send(.get, "/regions/320000", token: Tokens.ministry("MIIT")).code == "region-not-found")
        }
        #expect(try await harness.count("region") == 7)
    }

    /// `GET /regions` is scoped as `GET /regions/{code}` is: a regional official lists its own region (and the
    /// divisions under it) only, a ministry official every region, and the OpenAPI document says so.
    @Test func aRegionalOfficialListsOnlyItsOwnRegions() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let zhejiang = try await client.send(.get, "/regions", token: Tokens.region("330000"))
            #expect(zhejiang.status == .ok)
            #expect(((zhejiang.json["regions"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } == ["330000"])
            let hangzhou = try await client.send(.get, "/regions?status=approved", token: Tokens.region("330100"))
            #expect(((hangzhou.json["regions"] as? [[String: Any]]) ?? []).isEmpty, "a city official does not see its province")
            let ministry = try await client.send(.get, "/regions", token: Tokens.ministry("MOHURD"))
            #expect(((ministry.json["regions"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } == Self.firstBatch)
            #expect(try await client.send(.get, "/regions", token: Tokens.consumer).code == "role-not-allowed")
        }
        let document = String(decoding: harness.host.definition.openAPI.jsonData(), as: UTF8.self)
        #expect(document.contains("a regional official only its own region"))
        #expect(document.contains("\"403\""))
    }

    @Test func theApprovalRuleIsExplicit() {
        typealias Rule = ApprovalRule
        #expect(Rule.evaluate([:]) == .pending)
        #expect(Rule.evaluate([.mohurd: .concur, .samr: .concur]) == .pending)
        #expect(Rule.evaluate([.mohurd: .concur, .samr: .concur, .miit: .concur]) == .approved(concurring: [.miit, .mohurd, .samr]))
        #expect(Rule.evaluate([.mohurd: .concur, .samr: .concur, .miit: .concur, .nrra: .object]) == .rejected(objecting: [.nrra]))
        #expect(Rule.evaluate([.mohurd: .concur, .moa: .requestRevision]) == .returned(requesting: [.moa]))
        #expect(Rule.evaluate([.moa: .requestRevision, .mofcom: .object]) == .rejected(objecting: [.mofcom]))
        #expect(Rule.missingConcurrences(before: .concur, by: .miit, given: [.mohurd: .concur]) == [.samr])
        #expect(Rule.missingConcurrences(before: .object, by: .miit, given: [:]).isEmpty)
        #expect(Rule.missingConcurrences(before: .concur, by: .samr, given: [:]).isEmpty)
    }

    @Test func theOpenAPIDocumentListsEveryRoute() async throws {
        let harness = try await PilotHarness.make()
        #expect(undocumentedRoutes(router: harness.host.router, document: harness.host.definition.openAPI) == [])
        #expect(unroutedOperations(router: harness.host.router, document: harness.host.definition.openAPI) == [])
        #expect(PilotManagementService.definition.openAPI.operations.count == PilotOpenAPI.routes.count)
    }

    @Test func theCalendarFeedFoldsLongLinesWithoutSplittingCharacters() {
        let folded = ICalendarFeed.fold("SUMMARY:" + String(repeating: "绿色建材", count: 20))
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(ICalendarFeed.escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne")
    }
}
