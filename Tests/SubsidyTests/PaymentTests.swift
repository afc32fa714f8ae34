import Contracts
import Foundation
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy payments: batches, the transfer file, the bank's confirmation, overdue payments")
struct PaymentTests {
    @Test func aBatchExportsAChecksummedFileAndAConfirmationImportedTwicePaysOnce() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            var accounts: [String: String] = [:]
            for _ in 0..<3 {
                let claim = setup.claim()
                let reply = try await client.send(.post, "/claims", token: Tokens.consumer(), json: claim.json)
                accounts[reply.id] = claim.bankAccount
            }
            let batch = try await client.send(.post, "/programmes/\(setup.programmeID)/payment-batches", token: Tokens.region("330100"))
            #expect(batch.status == .created, "\(batch.text)")
            #expect(batch.json["claimCount"] as? Int == 3)
            #expect(batch.json["total"] as? Int == 45_000)
            let empty = try await client.send(.post, "/programmes/\(setup.programmeID)/payment-batches", token: Tokens.region("330100"))
            #expect(empty.code == "nothing-to-pay", "a claim is in one batch at a time")

            let file = try await client.send(.get, "/payment-batches/\(batch.id)/transfer-file", token: Tokens.region("330100"))
            #expect(file.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let lines = file.text.split(separator: "\n").map(String.init)
            #expect(lines.count == 5)
            let body = lines.dropLast().joined(separator: "\n") + "\n"
            let checksum = lines.last!.split(separator: ",").map(String.init)
            #expect(checksum[0] == "#checksum" && checksum[1] == "3" && checksum[2] == "45000")
            #expect(checksum[3] == PaymentDesk.sha256(Array(body.utf8)))
            #expect(batch.json["fileSHA256"] as? String == PaymentDesk.sha256(Array(file.text.utf8)))
            let rows = lines.dropFirst().dropLast().map { $0.split(separator: ",").map(String.init) }
            for row in rows { #expect(accounts[row[1]] == row[2], "the bank gets the account in clear, in this file only") }
            #expect(try await client.send(.get, "/payment-batches/\(batch.id)/transfer-file", token: Tokens.region("440100")).status == .forbidden)

            let confirmation = "payment_id,status,bank_reference,reason\n"
                + "\(rows[0][0]),paid,BK-0001,\n\(rows[1][0]),paid,BK-0002,\n\(rows[2][0]),failed,,账户已销户\n"
            let first = try await client.send(.post, "/payment-batches/\(batch.id)/confirmation", token: Tokens.region("330100"), text: confirmation)
            #expect(first.json["paid"] as? Int == 2 && first.json["failed"] as? Int == 1, "\(first.text)")
            let again = try await client.send(.post, "/payment-batches/\(batch.id)/confirmation", token: Tokens.region("330100"), text: confirmation)
            #expect(again.json["paid"] as? Int == 0 && again.json["alreadyConfirmed"] as? Int == 3)

            let paid = try await client.send(.get, "/claims/\(rows[0][1])", token: Tokens.ministry())
            #expect(paid.status_ == "paid")
            let failed = try await client.send(.get, "/claims/\(rows[2][1])", token: Tokens.ministry())
            #expect(failed.status_ == "approved", "a failed payment returns the claim to the next batch")
            let next = try await client.send(.post, "/programmes/\(setup.programmeID)/payment-batches", token: Tokens.region("330100"))
            #expect(next.json["claimCount"] as? Int == 1)

            let broken = try await client.send(.post, "/payment-batches/\(batch.id)/confirmation", token: Tokens.region("330100"),
                                               text: "payment_id,status,bank_reference,reason\n\(rows[0][0]),lost,,\n")
            #expect(broken.code == "confirmation-file-invalid")
            #expect(broken.fields == ["line 2"])
            let foreign = try await client.send(.post, "/payment-batches/\(batch.id)/confirmation", token: Tokens.region("330100"),
                                                text: "payment_id,status,bank_reference,reason\n\(UUID().uuidString),paid,BK-9,\n")
            #expect(foreign.code == "confirmation-file-invalid")

            let clawback = try await client.send(.post, "/claims/\(rows[0][1])/clawback", token: Tokens.region("330100"),
                                                 json: #"{"reason":"消费者退货"}"#)
            #expect(clawback.status_ == "clawed-back")
            let usage = try await client.send(.get, "/programmes/\(setup.programmeID)").json["usage"] as? [String: Any]
            #expect(usage?["paid"] as? Int == 15_000)
            #expect(usage?["reserved"] as? Int == 15_000)
            #expect(usage?["clawedBack"] as? Int == 15_000)
            #expect(usage?["available"] as? Int == 100_000_000 - 30_000)
        }
        #expect(try await harness.events(ClaimPaid.eventType.name).count == 2)
        #expect(try await harness.events(PaymentMade.eventType.name).count == 2)
        #expect(try await harness.events(PaymentFailed.eventType.name).count == 1)
        #expect(try await harness.events(ClaimClawedBack.eventType.name).count == 1)
        #expect(try await harness.scalar("SELECT count(*) FROM ledger_entry WHERE kind = 'paid'") == 2)
    }

    @Test func anApprovedClaimUnpaidAfterFifteenWorkingDaysIsAnnouncedOverdueOnce() async throws {
        let harness = try await SubsidyHarness.make()
        let job = PaymentDeadlineJob(context: harness.context)
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let claim = try await client.send(.post, "/claims", token: Tokens.consumer(), json: setup.claim().json)
            #expect(claim.json["paymentDueOn"] as? String == "2023-07-31")
            harness.clock.set("2023-07-31")
            #expect(try await job.announceOverdue() == 0, "due today is not overdue")
            harness.clock.set("2023-08-01")
            #expect(try await job.announceOverdue() == 1)
            #expect(try await job.announceOverdue() == 0, "announced once")
        }
        let overdue = try await harness.events(ClaimPaymentOverdue.eventType.name)
        #expect(overdue.count == 1)
        #expect(overdue.first?.payload["paymentDueOn"] as? String == "2023-07-31")
    }

    @Test func dueDaysSkipTheNationalDayHolidayAndCountTheMakeUpWorkday() {
        // Approved 2023-09-27: 28, then the holiday 29 Sep – 6 Oct, 7 and 8 Oct are make-up working days.
        let due = WorkingDayCalendar.china2023.addingWorkingDays(15, to: CalendarDate("2023-09-27")!)
        #expect(due.description == "2023-10-24")
    }
}
