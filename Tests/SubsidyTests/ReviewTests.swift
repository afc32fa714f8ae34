import Contracts
import Foundation
import ServiceTestSupport
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy fraud rules, reviews and clawbacks")
struct ReviewTests {
    @Test func theFourthClaimOfABuyerIsHeldAndAReviewerWhoIsNotTheSubmitterDecides() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let buyer = Sample.idNumber()
            var replies: [Reply] = []
            for _ in 0..<4 {
                var claim = setup.claim()
                claim.idNumber = buyer
                replies.append(try await client.send(.post, "/claims", token: Tokens.consumer("official-330100"), json: claim.json))
            }
            #expect(replies.prefix(3).allSatisfy { $0.status_ == "approved" })
            let held = replies[3]
            #expect(held.status_ == "held")
            #expect(held.rules == ["repeat-buyer"])
            #expect(held.json["reservedAmount"] as? Int == 15_000, "a held claim keeps its reservation")

            let own = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.region("330100"),
                                            json: #"{"decision":"approve"}"#)
            #expect(own.status == .forbidden)
            #expect(own.code == "four-eyes")
            let approved = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.region("330100", subject: "reviewer-1"),
                                                 json: #"{"decision":"approve","comment":"核实为同一家庭多次购买"}"#)
            #expect(approved.status_ == "approved", "\(approved.text)")
            #expect(approved.json["paymentDueOn"] as? String == "2023-07-31")
            let again = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.region("330100", subject: "reviewer-2"),
                                              json: #"{"decision":"reject"}"#)
            #expect(again.code == "claim-state")
        }
        let reviewed = try await harness.events(ClaimReviewed.eventType.name)
        #expect(reviewed.count == 1)
        #expect(reviewed.first?.payload["isFinal"] as? Bool == true)
        #expect(try await harness.events(ClaimApproved.eventType.name).last?.payload["afterReview"] as? Bool == true)
    }

    @Test func aClaimAboveTheThresholdNeedsTwoApproversAndARejectionReleasesItsReservation() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client, programme: Sample.purchaseProgramme(region: "330100", reviewThreshold: 20_000))
            var big = setup.claim()
            big.quantity = 2   // 30 000 fen > 20 000
            let held = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: big.json)
            #expect(held.status_ == "held")
            #expect(held.rules == ["amount-above-threshold"])
            #expect(held.json["reviewsRequired"] as? Int == 2)
            let first = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.region("330100", subject: "r1"),
                                              json: #"{"decision":"approve"}"#)
            #expect(first.status_ == "held")
            let twice = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.region("330100", subject: "r1"),
                                              json: #"{"decision":"approve"}"#)
            #expect(twice.code == "already-reviewed")
            let second = try await client.send(.post, "/claims/\(held.id)/reviews", token: Tokens.ministry("m2"),
                                               json: #"{"decision":"approve"}"#)
            #expect(second.status_ == "approved")

            let other = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: big.json.replacingOccurrences(
                of: big.invoiceNumber, with: Sample.invoiceNumber()))
            #expect(other.status_ == "held")
            let rejected = try await client.send(.post, "/claims/\(other.id)/reviews", token: Tokens.region("330100", subject: "r1"),
                                                 json: #"{"decision":"reject","comment":"发票与银行流水不符"}"#)
            #expect(rejected.status_ == "rejected")
            #expect(rejected.reasons == ["review-rejected"])
            let usage = try await client.send(.get, "/programmes/\(setup.programmeID)").json["usage"] as? [String: Any]
            #expect(usage?["reserved"] as? Int == 30_000)
            #expect(usage?["released"] as? Int == 30_000)
            let bad = try await client.send(.post, "/claims/\(other.id)/reviews", token: Tokens.region("330100", subject: "r3"),
                                            json: #"{"decision":"maybe"}"#)
            #expect(bad.fields == ["decision"])
        }
    }

    @Test func sharedAccountsPriceAnomaliesAndVolumeSpikesHoldClaims() async throws {
        var thresholds = FraudThresholds()
        thresholds.spikeFloor = 8
        thresholds.priceHistory = 3
        let harness = try await SubsidyHarness.make(fraud: thresholds)
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            var rules: [[String]] = []
            let account = "6222020200112233445"
            for index in 0..<9 {
                var claim = setup.claim()
                if index < 3 { claim.bankAccount = account }
                if index == 5 { claim.unitPrice = 160_000 }
                rules.append(try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: claim.json).rules)
            }
            #expect(rules[0] == [] && rules[1] == [])
            #expect(rules[2] == ["shared-bank-account"], "the third buyer paid into one account")
            #expect(rules[5] == ["price-anomaly"], "160 000 fen against a usual 100 000")
            #expect(rules[8] == ["seller-volume-spike"], "the ninth claim of a seller with no history today")
        }
    }

    @Test func aRevokedCertificateHoldsItsApprovedUnpaidClaimsOnceAndAPaidClaimCanBeClawedBack() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let approved = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: setup.claim().json)
            #expect(approved.status_ == "approved")
            let revocation = CertificateRevoked(
                certificateNumber: try CertificateNumber(validating: setup.certificate),
                holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), previousStatus: .valid,
                reason: "产品与认证不符", actorRole: .certificationBody, revokedAt: harness.clock.now)
            try await harness.deliver(revocation, id: "revocation-1")
            let held = try await client.send(.get, "/claims/\(approved.id)", token: Tokens.ministry())
            #expect(held.status_ == "held")
            #expect(held.rules == ["certificate-withdrawn"])
            #expect(held.json["paymentDueOn"] == nil)
            let events = try await harness.events(ClaimHeld.eventType.name)
            #expect(events.count == 1)
            #expect(events.first?.payload["triggeringEventID"] as? String == "revocation-1")

            var after = setup.claim()
            after.purchasedOn = "2023-07-10"
            let later = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: after.json)
            #expect(later.reasons == ["certificate-not-valid"], "revoked on 07-10: a purchase that day fails")

            let notPaid = try await client.send(.post, "/claims/\(approved.id)/clawback", token: Tokens.region("330100"),
                                                json: #"{"reason":"退货"}"#)
            #expect(notPaid.code == "claim-state")
        }
    }
}
