import Contracts
import Foundation
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy programmes: draft, approval by another, opening, top-up, closure")
struct ProgrammeTests {
    @Test func aProgrammeIsDraftedApprovedByAnotherOfficialOpenedToppedUpAndClosedEachWithItsEvent() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.approveRegion("330100")
        try await harness.run { client in
            let drafted = try await client.send(.post, "/programmes", token: Tokens.region("330100"),
                                                json: Sample.purchaseProgramme(region: "330100"))
            #expect(drafted.status == .created, "\(drafted.text)")
            #expect(drafted.status_ == "draft")
            let id = drafted.id

            let selfApproval = try await client.send(.post, "/programmes/\(id)/approval", token: Tokens.ministry("official-330100"))
            #expect(selfApproval.status == .forbidden)
            #expect(selfApproval.code == "four-eyes")
            let regionApproval = try await client.send(.post, "/programmes/\(id)/approval", token: Tokens.region("330100"))
            #expect(regionApproval.status == .forbidden)

            let earlyOpen = try await client.send(.post, "/programmes/\(id)/opening", token: Tokens.region("330100"))
            #expect(earlyOpen.status == .conflict)
            #expect(earlyOpen.code == "programme-state")

            #expect(try await client.send(.post, "/programmes/\(id)/approval", token: Tokens.ministry()).status == .ok)
            let otherRegion = try await client.send(.post, "/programmes/\(id)/opening", token: Tokens.region("440100"))
            #expect(otherRegion.status == .forbidden)
            let opened = try await client.send(.post, "/programmes/\(id)/opening", token: Tokens.region("330100"))
            #expect(opened.status_ == "open")

            let topUp = try await client.send(.post, "/programmes/\(id)/top-ups", token: Tokens.ministry(),
                                              json: #"{"amount":50000000,"reason":"省级追加资金"}"#)
            #expect(topUp.status == .ok, "\(topUp.text)")
            #expect(topUp.json["budget"] as? Int == 150_000_000)
            #expect((topUp.json["usage"] as? [String: Any])?["available"] as? Int == 150_000_000)

            let closed = try await client.send(.post, "/programmes/\(id)/closure", token: Tokens.region("330100"),
                                               json: #"{"reason":"活动结束"}"#)
            #expect(closed.status_ == "closed")
            let reopen = try await client.send(.post, "/programmes/\(id)/opening", token: Tokens.region("330100"))
            #expect(reopen.status == .conflict)

            let listed = try await client.send(.get, "/programmes?regionCode=330100")
            #expect((listed.json["programmes"] as? [[String: Any]])?.count == 1, "public list needs no token")
        }
        let approved = try await harness.events(ProgrammeApproved.eventType.name)
        #expect(approved.count == 1)
        let terms = approved.first?.payload["purchaseTerms"] as? [String: Any]
        #expect((terms?["gradeRates"] as? [[String: Any]])?.count == 3)
        #expect(try await harness.events(ProgrammeOpened.eventType.name).count == 1)
        #expect(try await harness.events(ProgrammeBudgetChanged.eventType.name).first?.payload["budget"] as? Int == 150_000_000)
        #expect(try await harness.events(ProgrammeClosed.eventType.name).count == 1)
    }

    @Test func badProgrammesNameEveryFieldAndStoreNothing() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.approveRegion("330100")
        try await harness.run { client in
            let bad = """
                {"regionCode":"990000","name":"","kind":"purchase","startsOn":"2023-12-31","endsOn":"2023-06-01",
                 "budget":9007199254740993,"fundingShares":[{"level":"central","basisPoints":8000},{"level":"galactic","basisPoints":1000}],
                 "reviewThreshold":-1,
                 "purchaseTerms":{"gradeRates":[{"starGrade":"four-star","rateBasisPoints":0}],"eligibleCategories":[],
                    "capPerItem":0,"householdCapCount":0,"householdCapAmount":0,"fixedAmount":100}}
                """
            let reply = try await client.send(.post, "/programmes", token: Tokens.ministry(), json: bad)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            for field in ["regionCode", "name", "endsOn", "budget", "fundingShares[1].level", "reviewThreshold",
                          "purchaseTerms.gradeRates[0].starGrade", "purchaseTerms.gradeRates[0].rateBasisPoints",
                          "purchaseTerms.eligibleCategories", "purchaseTerms.capPerItem", "purchaseTerms.householdCapCount",
                          "purchaseTerms.householdCapAmount", "purchaseTerms.fixedAmount"] {
                #expect(reply.fields.contains(field), "\(field) in \(reply.fields)")
            }
            let notPilot = try await client.send(.post, "/programmes", token: Tokens.ministry(),
                                                 json: Sample.purchaseProgramme(region: "440100"))
            #expect(notPilot.status == .unprocessableContent)
            #expect(notPilot.code == "region-not-approved")
            let noTerms = try await client.send(.post, "/programmes", token: Tokens.ministry(), json: """
                {"regionCode":"330100","name":"贴息","kind":"loan-interest","startsOn":"2023-06-01","endsOn":"2023-12-31",
                 "budget":100,"fundingShares":[{"level":"central","basisPoints":10000}],"reviewThreshold":0}
                """)
            #expect(noTerms.fields == ["loanTerms"])
            let consumer = try await client.send(.post, "/programmes", token: Tokens.consumer(), json: Sample.purchaseProgramme(region: "330100"))
            #expect(consumer.status == .forbidden)
            let unknown = try await client.send(.get, "/programmes/not-a-uuid")
            #expect(unknown.status == .notFound)
        }
        #expect(try await harness.count("programme") == 0)
    }
}
