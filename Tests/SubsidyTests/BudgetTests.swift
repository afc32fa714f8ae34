import Contracts
import Foundation
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy budget ledger under concurrency")
struct BudgetTests {
    /// 500 claims race for a budget that fits 100: exactly 100 are approved, the ledger and the slices agree to the
    /// fen, the programme is announced exhausted once, and a top-up opens it again.
    @Test func fiveHundredConcurrentClaimsForABudgetOfOneHundredApproveExactlyOneHundred() async throws {
        // Every request waits for a connection as long as it takes: the test is about the budget, not the pool.
        // One seller sells all 500: its volume-spike rule is not what this test is about.
        var fraud = FraudThresholds()
        fraud.spikeFloor = 10_000
        let harness = try await SubsidyHarness.make(poolSize: 12, acquireTimeoutMs: 120_000, budgetSlices: 8, fraud: fraud)
        let perClaim = 15_000   // 15 % of 100 000 fen
        try await harness.run { client in
            let setup = try await harness.openProgramme(client, programme: Sample.purchaseProgramme(
                region: "330100", budget: Int64(100 * perClaim)))
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<500 {
                    group.addTask {
                        let reply = try await client.send(.post, "/claims", token: Tokens.consumer(), json: setup.claim().json)
                        #expect(reply.status == .created, "\(reply.text)")
                        return reply.status_ + ":" + reply.reasons.joined(separator: ",")
                    }
                }
                var all: [String] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == "approved:" }.count == 100)
            #expect(outcomes.filter { $0 == "rejected:budget-exhausted" }.count == 400)
            let programme = try await client.send(.get, "/programmes/\(setup.programmeID)")
            #expect(programme.status_ == "exhausted")
            let usage = programme.json["usage"] as? [String: Any]
            #expect(usage?["reserved"] as? Int == 100 * perClaim)
            #expect(usage?["available"] as? Int == 0)

            let topUp = try await client.send(.post, "/programmes/\(setup.programmeID)/top-ups", token: Tokens.ministry(),
                                              json: #"{"amount":30000,"reason":"追加"}"#)
            #expect(topUp.status_ == "open")
            #expect(try await client.send(.post, "/claims", token: Tokens.consumer(), json: setup.claim().json).status_ == "approved")
        }
        #expect(try await harness.scalar("SELECT sum(used)::bigint FROM budget_slice") == Int64(101 * perClaim))
        #expect(try await harness.scalar("SELECT sum(capacity)::bigint FROM budget_slice") == Int64(102 * perClaim))
        #expect(try await harness.scalar("SELECT sum(amount)::bigint FROM ledger_entry WHERE kind = 'reserved'") == Int64(101 * perClaim))
        #expect(try await harness.scalar("SELECT sum(reserved_amount)::bigint FROM claim WHERE status = 'approved'") == Int64(101 * perClaim))
        #expect(try await harness.events(ProgrammeExhausted.eventType.name).count == 1)
        #expect(try await harness.events(ClaimApproved.eventType.name).count == 101)
    }
}
