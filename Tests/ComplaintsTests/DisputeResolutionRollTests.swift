import Contracts
import Foundation
import HTTPTypes
import ServiceTestSupport
import Testing
@testable import Complaints

/// The online-dispute-resolution roll: kept by the market regulator of an enterprise's registration division (or
/// SAMR), public to read; firm-first settlement follows it.
@Suite("Online dispute resolution roll")
struct DisputeResolutionRollTests {
    @Test func regulatorsKeepTheRollForTheirOwnDivisionAndAnyoneReadsIt() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        let xihu = Sample.creditCode(region: "330106")
        let ningbo = Sample.creditCode(region: "330203")
        try await harness.registerEnterprise(xihu)
        try await harness.run { client in
            let enrolled = try await client.send(.put, "/odr-enterprises/\(xihu)", token: Tokens.regulator("330106"),
                                                 json: #"{"enrolledOn":"2023-09-01"}"#)
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            #expect(enrolled.string("enrolledOn") == "2023-09-01")
            #expect(enrolled.string("enterpriseName") == "绿筑建材有限公司")
            #expect(enrolled.string("enrolledBy") == "amr-330106")

            // A bureau of another division may not; the city's bureau above it may; SAMR may for anyone.
            let elsewhere = try await client.send(.put, "/odr-enterprises/\(ningbo)", token: Tokens.regulator("330106"), json: "{}")
            #expect(elsewhere.status == .forbidden)
            #expect(elsewhere.code == "division-not-allowed")
            #expect(try await client.send(.put, "/odr-enterprises/\(ningbo)", token: Tokens.regulator("330200"), json: "{}").status == .ok)
            #expect(try await client.send(.put, "/odr-enterprises/\(ningbo)", token: Tokens.samr(), json: "{}").status == .ok)

            // Others may not at all; a malformed code or day is named.
            #expect(try await client.send(.put, "/odr-enterprises/\(xihu)", json: "{}").status == .unauthorized)
            #expect(try await client.send(.put, "/odr-enterprises/\(xihu)", token: Tokens.region("330100"), json: "{}").status == .forbidden)
            let badCode = try await client.send(.put, "/odr-enterprises/\(Sample.invalidCreditCode())",
                                                token: Tokens.regulator("330106"), json: "{}")
            #expect(badCode.status == .unprocessableContent)
            #expect(badCode.fields == ["creditCode"])
            let badDay = try await client.send(.put, "/odr-enterprises/\(xihu)", token: Tokens.regulator("330106"),
                                               json: #"{"enrolledOn":"2023-02-30"}"#)
            #expect(badDay.fields == ["enrolledOn"])

            let roll = try await client.send(.get, "/public/odr-enterprises")
            #expect(roll.status == .ok)
            let codes = (roll.json["enterprises"] as? [[String: Any]] ?? []).compactMap { $0["creditCode"] as? String }
            #expect(Set(codes) == [xihu, ningbo])
            #expect(codes == codes.sorted())
            #expect(try await harness.count("odr_enrolment WHERE enrolled_on = '2023-09-01'") == 1, "the bad day changed nothing")

            // Withdrawn: off the roll; withdrawing again, or a code never enrolled, is 404.
            let withdrawn = try await client.send(.delete, "/odr-enterprises/\(ningbo)", token: Tokens.regulator("330203"))
            #expect(withdrawn.status == .noContent)
            let again = try await client.send(.delete, "/odr-enterprises/\(ningbo)", token: Tokens.regulator("330203"))
            #expect(again.status == .notFound)
            #expect(again.code == "enterprise-not-enrolled-in-odr")
            #expect(try await client.send(.delete, "/odr-enterprises/not-a-code", token: Tokens.samr()).status == .notFound)
            #expect(try await harness.count("odr_enrolment") == 1)
        }
    }

    @Test func aComplaintAgainstAnEnterpriseTakenOffTheRollGoesToMediationNotSettlement() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        let enterprise = Sample.creditCode()
        try await harness.registerEnterprise(enterprise)
        try await harness.run { client in
            let handler = Tokens.regulator("330106")
            #expect(try await client.send(.put, "/odr-enterprises/\(enterprise)", token: handler, json: "{}").status == .ok)
            #expect(try await client.send(.delete, "/odr-enterprises/\(enterprise)", token: handler).status == .noContent)
            let id = try await client.file(Sample.caseJSON(respondent: enterprise)).id
            #expect(try await client.transition(id, #"{"action":"accept"}"#, token: handler).caseStatus == "accepted")
            let settlement = try await client.transition(id, #"{"action":"start-settlement"}"#, token: handler)
            #expect(settlement.code == "respondent-not-enrolled-in-odr")
            #expect(try await harness.events(ComplaintSettlementStarted.eventType.name).isEmpty)
            let mediation = try await client.transition(id, #"{"action":"start-mediation","mediator":"西湖区消费者协会"}"#, token: handler)
            #expect(mediation.caseStatus == "mediation", "\(mediation.text)")
        }
    }
}
