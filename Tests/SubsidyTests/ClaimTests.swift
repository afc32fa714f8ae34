import Contracts
import Foundation
import HTTPTypes
import ServiceTestSupport
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy claims: eligibility, every reason, bad input, idempotency, who sees what")
struct ClaimTests {
    @Test func anEligibleClaimIsApprovedReservedAndAnnouncedWithoutPersonalData() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            var claim = setup.claim()
            claim.quantity = 2
            claim.unitPrice = 643_333   // 15 % = 96 499.95 fen → 96 500 half up, per unit
            let reply = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: claim.json)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.status_ == "approved")
            #expect(reply.json["requestedAmount"] as? Int == 193_000)
            #expect(reply.json["reservedAmount"] as? Int == 193_000)
            #expect(reply.json["paymentDueOn"] as? String == "2023-07-31", "15 working days after 2023-07-10")
            #expect(reply.json["buyerIDNumberMasked"] as? String == String(claim.idNumber.prefix(6)) + "********" + String(claim.idNumber.suffix(4)))
            #expect(reply.json["bankAccountMasked"] as? String == "6222" + String(repeating: "*", count: 11) + String(claim.bankAccount.suffix(4)))
            #expect(!reply.text.contains(claim.idNumber) && !reply.text.contains(claim.bankAccount) && !reply.text.contains(claim.householdID))

            let programme = try await client.send(.get, "/programmes/\(setup.programmeID)")
            let usage = programme.json["usage"] as? [String: Any]
            #expect(usage?["reserved"] as? Int == 193_000)
            #expect(usage?["available"] as? Int == 100_000_000 - 193_000)
        }
        #expect(try await harness.events(ClaimSubmitted.eventType.name).count == 1)
        let approved = try await harness.events(ClaimApproved.eventType.name)
        #expect(approved.first?.payload["approvedAmount"] as? Int == 193_000)
        let text = try await harness.allEventText()
        #expect(!text.contains("13812345678") && !text.contains("6222") && !text.contains("HH-"))
        #expect(try await harness.scalar("SELECT count(*) FROM claim WHERE bank_account_encrypted LIKE 'v1:%'") == 1)
    }

    @Test func aRejectionListsEveryReasonThatFailed() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            // Suspended from 2023-07-01 (so not valid on 2023-07-08), a seller never enrolled, a purchase before the period.
            try await harness.deliver(CertificateSuspended(
                certificateNumber: try CertificateNumber(validating: setup.certificate),
                holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), previousStatus: .valid,
                suspendedUntil: nil, reason: "抽查不合格", actorRole: .certificationBody, suspendedAt: TestClock.noon("2023-07-01")))
            var claim = setup.claim()
            claim.seller = Sample.creditCode()
            let reply = try await client.send(.post, "/claims", token: Tokens.seller(claim.seller), json: claim.json)
            #expect(reply.status == .created)
            #expect(reply.status_ == "rejected")
            #expect(Set(reply.reasons) == ["certificate-not-valid", "seller-not-enrolled"], "\(reply.reasons)")

            var early = setup.claim()
            early.purchasedOn = "2023-05-20"
            early.certificate = Sample.certificateNumber()
            early.unitPrice = 6_000_000
            let second = try await client.send(.post, "/claims", token: Tokens.consumer(), json: early.json)
            #expect(Set(second.reasons) == ["outside-programme-period", "unknown-certificate"], "\(second.reasons)")
        }
        let rejected = try await harness.events(ClaimRejected.eventType.name)
        #expect(rejected.count == 2)
        #expect(Set(rejected.first?.payload["reasonCodes"] as? [String] ?? []) == ["certificate-not-valid", "seller-not-enrolled"])
        #expect(try await harness.scalar("SELECT count(*) FROM ledger_entry") == 0, "a rejected claim reserves nothing")
        #expect(try await harness.count("invoice_use") == 0, "a rejected claim does not use up its invoice")
    }

    @Test func anUncertifiedLocalListProductEarnsTheLocalRateAndAClosedProgrammeTakesNoClaim() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let entry = UUID().uuidString.lowercased()
            try await harness.deliver(LocalListEntryAdded(
                regionCode: try DivisionCode(validating: setup.region), entryID: entry, basis: .technicalRequirement, certificateNumber: nil,
                requirementID: UUID().uuidString.lowercased(), testReportNumber: "ZJ-2023-0042", testingBody: "浙江省建材质检院",
                manufacturerCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), productName: "本地砌块",
                model: "QK-240", category: .enclosureStructuresAndConcrete, actorRole: .regionalOfficial,
                addedAt: TestClock.noon("2023-06-15")))
            let line = #"[{"localListEntryID":"\#(entry)","quantity":3,"unitPrice":10001}]"#
            var listed = setup.claim()
            listed.lines = line
            let local = try await client.send(.post, "/claims", token: Tokens.consumer(), json: listed.json)
            #expect(local.status_ == "approved", "\(local.text)")
            #expect(local.json["requestedAmount"] as? Int == 2_400, "8 % of 10 001 fen = 800.08 → 800, × 3")

            var unlisted = setup.claim()
            unlisted.purchasedOn = "2023-06-10"
            unlisted.lines = line
            let early = try await client.send(.post, "/claims", token: Tokens.consumer(), json: unlisted.json)
            #expect(early.reasons == ["product-not-listed"], "listed from 06-15 only")

            #expect(try await client.send(.post, "/programmes/\(setup.programmeID)/closure", token: Tokens.region(setup.region),
                                          json: #"{"reason":"预算执行完毕"}"#).status_ == "closed")
            let closed = try await client.send(.post, "/claims", token: Tokens.consumer(), json: setup.claim().json)
            #expect(closed.reasons == ["programme-not-open"])
        }
    }

    @Test func anInvoiceBacksOneClaimAndTheHouseholdCapsHold() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client, programme: Sample.purchaseProgramme(
                region: "330100", householdCapCount: 3, householdCapAmount: 40_000))
            var first = setup.claim()
            first.quantity = 2
            #expect(try await client.send(.post, "/claims", token: Tokens.consumer(), json: first.json).status_ == "approved")
            var again = setup.claim()
            again.invoiceNumber = first.invoiceNumber
            let duplicate = try await client.send(.post, "/claims", token: Tokens.consumer(), json: again.json)
            #expect(duplicate.reasons == ["duplicate-invoice"])

            var sameHousehold = setup.claim()
            sameHousehold.householdID = first.householdID
            sameHousehold.quantity = 2   // 4 items > 3, 60 000 fen > 40 000
            let capped = try await client.send(.post, "/claims", token: Tokens.consumer(), json: sameHousehold.json)
            #expect(Set(capped.reasons) == ["household-count-cap", "household-amount-cap"], "\(capped.reasons)")
        }
    }

    @Test func badClaimsAreRefusedNamingEveryFieldAndWriteNothing() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            var claim = setup.claim()
            let id = claim.idNumber
            claim.idNumber = String(id.prefix(17)) + (id.last == "1" ? "2" : "1")
            claim.purchasedOn = "2023-07-11"
            claim.quantity = 0
            claim.unitPrice = 9_007_199_254_740_992
            claim.bankAccount = "12ab"
            let reply = try await client.send(.post, "/claims", token: Tokens.consumer(), json: claim.json)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(Set(reply.fields) == ["buyerIDNumber", "purchasedOn", "lines[0].quantity", "lines[0].unitPrice", "bankAccount"],
                    "\(reply.fields)")

            var overflow = setup.claim()
            overflow.quantity = 10_000
            overflow.unitPrice = 9_007_199_254_740
            let total = try await client.send(.post, "/claims", token: Tokens.consumer(), json: overflow.json)
            #expect(total.fields == ["lines[0].unitPrice"])

            let huge = try await client.send(.post, "/claims", token: Tokens.consumer(),
                                             json: setup.claim().json.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":1e30"))
            #expect(huge.status == .badRequest, "\(huge.text)")

            let wrongSeller = try await client.send(.post, "/claims", token: Tokens.seller(Sample.creditCode()), json: setup.claim().json)
            #expect(wrongSeller.status == .forbidden)
            #expect(wrongSeller.code == "seller-mismatch")

            var unknown = setup.claim()
            unknown.programmeID = UUID().uuidString.lowercased()
            #expect(try await client.send(.post, "/claims", token: Tokens.consumer(), json: unknown.json).status == .notFound)
            #expect(try await client.send(.post, "/claims", token: Tokens.region("330100"), json: setup.claim().json).status == .forbidden)
        }
        #expect(try await harness.count("claim") == 0)
        #expect(try await harness.count("claim_line") == 0)
    }

    @Test func aRetryWithTheSameIdempotencyKeyGetsTheSameClaimAndADifferentBodyIsRefused() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let claim = setup.claim()
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "pos-7-20230710-0001"]
            let first = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: claim.json, headers: key)
            let retry = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: claim.json, headers: key)
            #expect(first.status == .created)
            #expect(retry.status == .ok)
            #expect(retry.id == first.id)
            #expect(retry.status_ == "approved", "the retry is not a duplicate-invoice rejection")
            var other = setup.claim()
            other.unitPrice = 1
            let reused = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: other.json, headers: key)
            #expect(reused.status == .unprocessableContent)
            #expect(reused.code == "idempotency-key-reused")
        }
        #expect(try await harness.count("claim") == 1)
        #expect(try await harness.events(ClaimSubmitted.eventType.name).count == 1)
    }

    @Test func eachCallerSeesOnlyTheClaimsItMay() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let mine = try await client.send(.post, "/claims", token: Tokens.consumer("buyer-a"), json: setup.claim().json)
            let sellers = try await client.send(.post, "/claims", token: Tokens.seller(setup.seller), json: setup.claim().json)
            func ids(_ reply: Reply) -> Set<String> {
                Set(((reply.json["claims"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            }
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.consumer("buyer-a"))) == [mine.id])
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.consumer("buyer-b"))).isEmpty)
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.seller(setup.seller))) == [mine.id, sellers.id])
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.seller(Sample.creditCode()))).isEmpty)
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.region("330000"))) == [mine.id, sellers.id])
            #expect(ids(try await client.send(.get, "/claims", token: Tokens.region("440000"))).isEmpty)
            #expect(try await client.send(.get, "/claims?regionCode=330100", token: Tokens.region("440000")).status == .forbidden)
            #expect(try await client.send(.get, "/claims/\(mine.id)", token: Tokens.consumer("buyer-b")).status == .notFound)
            #expect(try await client.send(.get, "/claims/\(mine.id)", token: Tokens.consumer("buyer-a")).status == .ok)
            #expect(try await client.send(.get, "/claims/\(mine.id)", token: Tokens.region("440100")).status == .notFound)
            #expect(try await client.send(.get, "/claims").status == .unauthorized)
            let page = try await client.send(.get, "/claims?limit=1", token: Tokens.ministry())
            let next = try await client.send(.get, "/claims?limit=1&before=\(ids(page).first!)", token: Tokens.ministry())
            #expect(ids(page).union(ids(next)) == [mine.id, sellers.id])
            #expect(try await client.send(.get, "/claims?status=lost", token: Tokens.ministry()).fields == ["status"])
        }
    }
}
