import Foundation
import HTTPTypes
import ServiceTestSupport
import Testing
@testable import PilotManagement

@Suite("Pilot applications and the departments' reviews, over HTTP")
struct PilotApplicationTests {
    @Test func applicationIsApprovedWhenMIITConcursAfterMOHURDAndSAMRAndPublishesEachStep() async throws {
        let harness = try await PilotHarness.make(today: "2023-03-15")
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            #expect(try await client.review(id, by: "MOHURD", "concur").json["status"] as? String == "under-review")
            try await client.review(id, by: "NRRA", "concur")
            try await client.review(id, by: "SAMR", "concur")
            let approved = try await client.review(id, by: "MIIT", "concur", comment: "同意")
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.json["status"] as? String == "approved")

            let region = try await client.send(.get, "/regions/320000", token: Tokens.ministry("MIIT"))
            #expect(region.json["status"] as? String == "approved")
            #expect(region.json["batchYear"] as? Int == 2023)
            #expect(region.json["approvedOn"] as? String == "2023-03-15")
            let publicRegions = try await client.send(.get, "/public/regions")
            let codes = ((publicRegions.json["regions"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
            #expect(codes.contains("320000"))
        }
        let submitted = try await harness.events("gbm.pilot.region.application-submitted.v1")
        #expect(submitted.count == 1)
        #expect(submitted.first?.subject == "320000")
        #expect(submitted.first?.payload["hasSafetyPlan"] as? Bool == true)
        #expect((submitted.first?.payload["workPlanSHA256"] as? String)?.count == 64)
        #expect(try await harness.events("gbm.pilot.region.review-recorded.v1").count == 4)
        let approvals = try await harness.events("gbm.pilot.region.approved.v1")
        #expect(approvals.count == 1)
        #expect(approvals.first?.payload["concurringDepartments"] as? [String] == ["miit", "mohurd", "samr", "nrra"])
        // The responsible person's phone and name never reach an event or the table in clear.
        let text = try await harness.allEventText()
        #expect(!text.contains("13812345678") && !text.contains("王建国"))
    }

    @Test func miitMayNotConcurBeforeMOHURDAndSAMRHave() async throws {
        let harness = try await PilotHarness.make()
        let stored = try await harness.count("review")
        #expect(stored == 0)
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            try await client.review(id, by: "MOHURD", "concur")
            let early = try await client.review(id, by: "MIIT", "concur")
            #expect(early.status == .conflict)
            #expect(early.code == "concurrence-order")
            #expect(early.text.contains("SAMR"))
            let application = try await client.send(.get, "/applications/\(id)", token: Tokens.ministry("MIIT"))
            #expect((application.json["reviews"] as? [[String: Any]])?.count == 1)
            #expect(application.json["status"] as? String == "under-review")
        }
    }

    @Test func anyObjectionRejectsTheApplication() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            try await client.review(id, by: "MOHURD", "concur")
            let rejected = try await client.review(id, by: "MOA", "object", comment: "农村市场调研不足")
            #expect(rejected.json["status"] as? String == "rejected")
            #expect((rejected.json["decisionReason"] as? String)?.contains("农村市场调研不足") == true)
            let late = try await client.review(id, by: "SAMR", "concur")
            #expect(late.status == .conflict)
            #expect(late.code == "application-state")
            #expect(try await client.send(.get, "/regions/320000", token: Tokens.region("320000")).json["status"] as? String == "rejected")
            // The region may apply again with a new application.
            let again = try await client.send(.post, "/applications", token: Tokens.region("320000"),
                                              json: client.applicationJSON("320000"))
            #expect(again.status == .created, "\(again.text)")
            #expect(try await client.send(.get, "/regions/320000", token: Tokens.region("320000")).json["status"] as? String == "applicant")
        }
        let events = try await harness.events("gbm.pilot.region.rejected.v1")
        #expect(events.first?.payload["objectingDepartments"] as? [String] == ["moa"])
    }

    /// Each comment may have 2000 characters, but the event's `reason` holds 1000: the joined comments are cut there
    /// (the reviews keep them in full), so the event still matches its schema.
    @Test func longObjectionsStillMakeARejectionEventWithinItsSchema() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            let rejected = try await client.review(id, by: "MOA", "object", comment: String(repeating: "研", count: 2000))
            #expect(rejected.status == .ok, "\(rejected.text)")
        }
        let reason = try #require(try await harness.events("gbm.pilot.region.rejected.v1").first?.payload["reason"] as? String)
        #expect(reason.count == 1000)
        #expect(reason.hasSuffix("…"))
    }

    @Test func aRevisionRequestReturnsTheApplicationAndResubmissionStartsANewRound() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let id = try await client.submittedApplication("320000")
            let returned = try await client.review(id, by: "MOFCOM", "request-revision", comment: "补充电商平台方案")
            #expect(returned.json["status"] as? String == "returned")
            #expect(returned.json["round"] as? Int == 2)
            let revised = try await client.send(
                .put, "/applications/\(id)/work-plan", token: Tokens.region("320000"),
                json: #"{"title":"修订版实施方案","summary":"增加电商专区","plannedActivities":80,"targetedSales":60000000000,"subsidyFunds":2000000000}"#)
            #expect(revised.status == .ok, "\(revised.text)")
            let resubmitted = try await client.send(.post, "/applications/\(id)/submission", token: Tokens.region("320000"))
            #expect(resubmitted.json["status"] as? String == "submitted")
            // The new round starts empty: MIIT still needs MOHURD and SAMR again.
            try await client.review(id, by: "MOHURD", "concur")
            try await client.review(id, by: "SAMR", "concur")
            #expect(try await client.review(id, by: "MIIT", "concur").json["status"] as? String == "approved")
        }
        #expect(try await harness.events("gbm.pilot.region.returned.v1").count == 1)
        #expect(try await harness.events("gbm.pilot.region.application-submitted.v1").count == 2)
    }

    @Test func approvalWithoutASafetyPlanIsRefusedAndNothingChanges() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let id = try await client.submittedApplication("320000", safety: false)
            try await client.review(id, by: "MOHURD", "concur")
            try await client.review(id, by: "SAMR", "concur")
            let refused = try await client.review(id, by: "MIIT", "concur")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.code == "safety-plan-required")
            #expect(refused.fields == ["safetyPlan"])
            let application = try await client.send(.get, "/applications/\(id)", token: Tokens.region("320000"))
            #expect(application.json["status"] as? String == "under-review")
            #expect((application.json["reviews"] as? [[String: Any]])?.count == 2)
            // With the safety plan attached, MIIT's concurrence approves.
            let attached = try await client.send(.put, "/applications/\(id)/safety-plan", token: Tokens.region("320000"),
                                                 json: PilotClient.safetyPlan)
            #expect(attached.status == .ok, "\(attached.text)")
            let phones = ((attached.json["safetyPlan"] as? [String: Any])?["responsiblePersons"] as? [[String: Any]])?
                .compactMap { $0["phone"] as? String }
            #expect(phones == ["138****5678"])
            #expect(try await client.review(id, by: "MIIT", "concur").json["status"] as? String == "approved")
        }
        #expect(try await harness.events("gbm.pilot.region.approved.v1").count == 1)
        let stored = try await harness.pool.query(
            "SELECT phone_encrypted, phone_hash, name_encrypted FROM \(identifier: harness.schema).safety_plan_person")
        let row = try #require(stored.first)
        #expect(try !row.decode("phone_encrypted", as: String.self).contains("13812345678"))
        #expect(try row.decode("phone_hash", as: String.self) == harness.host.context.personalData.matchingHash("13812345678"))
        #expect(try harness.host.context.personalData.decrypt(try row.decode("name_encrypted", as: String.self)) == "王建国")
    }

    @Test func aSixthApplicationOverTheBatchCapIsRefused() async throws {
        let harness = try await PilotHarness.make()
        let regions = ["320000", "340000", "360000", "410000", "420000"]
        try await harness.run { client in
            for region in regions { _ = try await client.submittedApplication(region) }
            let sixth = try await client.draftApplication("450000")
            let refused = try await client.send(.post, "/applications/\(sixth)/submission", token: Tokens.region("450000"))
            #expect(refused.status == .conflict)
            #expect(refused.code == "batch-cap-reached")
            #expect(refused.fields == ["batchYear"])
            let application = try await client.send(.get, "/applications/\(sixth)", token: Tokens.region("450000"))
            #expect(application.json["status"] as? String == "draft")
        }
        #expect(try await harness.events("gbm.pilot.region.application-submitted.v1").count == 5)
    }

    @Test func concurrentSubmissionsForTheLastPlaceInTheBatchAdmitOnlyOne() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            for region in ["320000", "340000", "360000", "410000"] { _ = try await client.submittedApplication(region) }
            let contenders = ["420000", "450000", "460000"]
            var drafts: [String: String] = [:]
            for region in contenders { drafts[region] = try await client.draftApplication(region) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (region, id) in drafts {
                    group.addTask {
                        try await client.send(.post, "/applications/\(id)/submission", token: Tokens.region(region)).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 2)
        }
        #expect(try await harness.events("gbm.pilot.region.application-submitted.v1").count == 5)
    }

    @Test func aRegionalOfficialCannotActForAnotherRegion() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let foreign = try await client.send(.post, "/applications", token: Tokens.region("340000"),
                                                json: client.applicationJSON("320000"))
            #expect(foreign.status == .forbidden)
            #expect(foreign.code == "region-not-allowed")
            let id = try await client.draftApplication("320000")
            let upload = try await client.send(.put, "/applications/\(id)/document", token: Tokens.region("340000"),
                                               bytes: Array("forged".utf8))
            #expect(upload.status == .forbidden)
            let submit = try await client.send(.post, "/applications/\(id)/submission", token: Tokens.region("340000"))
            #expect(submit.status == .forbidden)
            let read = try await client.send(.get, "/applications/\(id)", token: Tokens.region("340000"))
            #expect(read.status == .forbidden)
            let review = try await client.send(.post, "/applications/\(id)/reviews", token: Tokens.region("320000"),
                                               json: #"{"opinion":"concur"}"#)
            #expect(review.status == .forbidden)
            let noDepartment = try await client.send(.post, "/applications/\(id)/reviews", token: Tokens.ministry(nil),
                                                     json: #"{"opinion":"concur"}"#)
            #expect(noDepartment.code == "department-required")
            let application = try await client.send(.get, "/applications/\(id)", token: Tokens.region("320000"))
            #expect(application.json["status"] as? String == "draft")
            #expect((application.json["document"] as? [String: Any])?["fileName"] as? String == "plan.pdf")
            func listed(_ query: String, as token: String) async throws -> Reply {
                try await client.send(.get, "/applications\(query)", token: token)
            }
            #expect((try await listed("", as: Tokens.region("320000")).json["applications"] as? [Any])?.count == 1)
            #expect((try await listed("", as: Tokens.region("340000")).json["applications"] as? [Any])?.count == 0)
            #expect(try await listed("?regionCode=320000", as: Tokens.region("340000")).status == .forbidden)
            #expect((try await listed("?status=draft", as: Tokens.ministry("SAMR")).json["applications"] as? [Any])?.count == 1)
            #expect((try await listed("?status=approved", as: Tokens.ministry("SAMR")).json["applications"] as? [Any])?.count == 0)
            #expect(try await listed("", as: Tokens.consumer).status == .forbidden)
            #expect(try await client.send(.get, "/applications/not-a-uuid", token: Tokens.ministry("SAMR")).code == "application-not-found")
        }
        #expect(try await harness.count("application") == 1)
    }

    @Test func anInvalidDivisionCodeIsRefusedNamingTheField() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            for code in ["990000", "3300", "330010", "330106001"] {
                let reply = try await client.send(.post, "/applications", token: Tokens.region("330000"),
                                                  json: client.applicationJSON(code))
                #expect(reply.status == .unprocessableContent, "\(code): \(reply.text)")
                #expect(reply.fields == ["regionCode"], "\(code)")
            }
        }
        #expect(try await harness.count("application") == 0)
        #expect(try await harness.count("region") == 7)
    }

    @Test func theWorkPlanDocumentIsStoredWithItsChecksumAndEmptyOrOversizedUploadsChangeNothing() async throws {
        let harness = try await PilotHarness.make(maxDocumentBytes: 1024)
        try await harness.run { client in
            let id = try await client.draftApplication("320000")
            let before = try await client.send(.get, "/applications/\(id)", token: Tokens.region("320000"))
            let document = try #require(before.json["document"] as? [String: Any])
            let content = Array("%PDF-1.7 work plan of 320000".utf8)
            #expect(document["size"] as? Int == content.count)
            #expect((document["sha256"] as? String)?.count == 64)

            let empty = try await client.send(.put, "/applications/\(id)/document", token: Tokens.region("320000"), bytes: [])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.fields == ["document"])
            let oversized = try await client.send(.put, "/applications/\(id)/document", token: Tokens.region("320000"),
                                                  bytes: [UInt8](repeating: 0x25, count: 1025))
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.fields == ["document"])

            let after = try await client.send(.get, "/applications/\(id)", token: Tokens.region("320000"))
            #expect((after.json["document"] as? [String: Any])?["sha256"] as? String == document["sha256"] as? String)
            let download = try await client.send(.get, "/applications/\(id)/document", token: Tokens.ministry("MIIT"))
            #expect(download.text == "%PDF-1.7 work plan of 320000")
            #expect(download.headers[.contentType] == "application/pdf")
            // Served as a download whatever type the uploader claimed: never rendered, never sniffed.
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename*=UTF-8''") == true)
            #expect(download.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(download.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
        }
    }

    @Test func submissionNeedsTheWorkPlanDocument() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let created = try await client.send(.post, "/applications", token: Tokens.region("320000"),
                                                json: client.applicationJSON("320000"))
            let refused = try await client.send(.post, "/applications/\(created.id)/submission", token: Tokens.region("320000"))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.fields == ["document"])
            let again = try await client.send(.post, "/applications", token: Tokens.region("320000"),
                                              json: client.applicationJSON("320000"))
            #expect(again.code == "application-already-open")
            let seeded = try await client.send(.post, "/applications", token: Tokens.region("330000"),
                                               json: client.applicationJSON("330000"))
            #expect(seeded.code == "region-already-approved")
        }
        #expect(try await harness.events("gbm.pilot.region.application-submitted.v1").isEmpty)
    }
}
