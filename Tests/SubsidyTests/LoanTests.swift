import Contracts
import Foundation
import TestSupport
import Testing
@testable import Subsidy

@Suite("Loan interest subsidies (贷款贴息) and what a purchase line earns")
struct LoanTests {
    static let terms = LoanInterestTerms(subsidyRateBasisPoints: 150, maxPrincipal: Fen(10_000_000), maxTermMonths: 24,
                                         capPerLoan: Fen(150_000))

    @Test func theScheduleSubsidisesTheEligibleCappedPrincipalPerPeriodAndStopsAtTheCap() {
        // 300 000 yuan, 60 % on materials = 180 000 yuan, capped at 100 000 yuan; 36 months, 24 subsidised; loan rate
        // 4.2 %, programme 1.5 %.
        let schedule = LoanSchedule(
            principal: Fen(30_000_000), eligibleShareBasisPoints: 6_000, termMonths: 36, interestRateBasisPoints: 420,
            firstRepaymentOn: CalendarDate("2023-01-31")!, terms: Self.terms, rounding: .halfUp)
        #expect(schedule.subsidisedPrincipal == Fen(10_000_000))
        #expect(schedule.subsidisedMonths == 24)
        #expect(schedule.periods.count == 24)
        // Period 1: 10 000 000 × 150 / 120 000 = 12 500 fen; period 2: 9 722 222 × 150 / 120 000 = 12 152.78 → 12 153.
        #expect(schedule.periods[0].amount == Fen(12_500))
        #expect(schedule.periods[1].outstandingPrincipal == Fen(9_722_222))
        #expect(schedule.periods[1].amount == Fen(12_153))
        #expect(schedule.periods[1].dueOn.description == "2023-02-28", "31 January + 1 month is the last day of February")
        #expect(schedule.total == Fen(150_000), "the cap per loan stops the running total (in period 15)")
        #expect(schedule.periods.last?.amount == .zero)
        let uncapped = LoanSchedule(
            principal: Fen(1_200_000), eligibleShareBasisPoints: 10_000, termMonths: 12, interestRateBasisPoints: 100,
            firstRepaymentOn: CalendarDate("2023-03-15")!, terms: Self.terms, rounding: .down)
        #expect(uncapped.subsidyRateBasisPoints == 100, "never more than the loan's own rate")
        // Period k pays ⌊1 000 × (12 − k) / 12⌋ fen, rounded down: 1 000 + 916 + 833 + … + 83 = 6 496 fen.
        #expect(uncapped.total == Fen(6_496))
    }

    @Test func aPurchaseLineEarnsTheRateBelowTheThresholdAFixedAmountAboveItAndNothingOverTheCeiling() {
        let terms = PurchaseSubsidyTerms(
            gradeRates: [GradeRate(starGrade: .threeStar, rateBasisPoints: 1_300)], eligibleCategories: [.otherEquipment],
            capPerItem: Fen(40_000), fixedAmountPriceThreshold: Fen(250_000), fixedAmount: Fen(30_000),
            priceCeiling: Fen(500_000), householdCapCount: 3, householdCapAmount: Fen(100_000))
        #expect(terms.subsidy(unitPrice: Fen(100_015), rateBasisPoints: 1_300, rounding: .halfUp) == Fen(13_002), "13 001.95 → 13 002")
        #expect(terms.subsidy(unitPrice: Fen(100_015), rateBasisPoints: 1_300, rounding: .down) == Fen(13_001))
        #expect(terms.subsidy(unitPrice: Fen(250_000), rateBasisPoints: 1_300, rounding: .halfUp) == Fen(32_500))
        #expect(terms.subsidy(unitPrice: Fen(250_001), rateBasisPoints: 1_300, rounding: .halfUp) == Fen(30_000))
        #expect(terms.subsidy(unitPrice: Fen(500_001), rateBasisPoints: 1_300, rounding: .halfUp) == nil)
        #expect(terms.subsidy(unitPrice: Fen(240_000), rateBasisPoints: 2_000, rounding: .halfUp) == Fen(40_000), "capped per item")
    }

    @Test func aLoanIsGrantedWithItsScheduleOnceReservedAndAnnouncedAndBadApplicationsNameTheirFields() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.approveRegion("330100")
        let certificate = Sample.certificateNumber()
        try await harness.issue(certificate)
        try await harness.run { client in
            let programme = """
                {"regionCode":"330100","name":"农房建设绿色建材贷款贴息","kind":"loan-interest","startsOn":"2023-06-01","endsOn":"2023-12-31",
                 "budget":50000000,"fundingShares":[{"level":"central","basisPoints":10000}],"reviewThreshold":0,
                 "loanTerms":{"subsidyRateBasisPoints":150,"maxPrincipal":10000000,"maxTermMonths":24,"capPerLoan":200000}}
                """
            let drafted = try await client.send(.post, "/programmes", token: Tokens.region("330100"), json: programme)
            #expect(try await client.send(.post, "/programmes/\(drafted.id)/approval", token: Tokens.ministry()).status == .ok)
            #expect(try await client.send(.post, "/programmes/\(drafted.id)/opening", token: Tokens.region("330100")).status == .ok)
            let id = Sample.idNumber()
            let application = """
                {"programmeID":"\(drafted.id)","borrowerIDNumber":"\(id)","householdID":"HH-77","lender":"浙江农村商业银行",
                 "loanContractNumber":"ZJRCB-2023-0001","loanPrincipal":30000000,"eligibleShareBasisPoints":6000,"loanTermMonths":36,
                 "interestRateBasisPoints":420,"loanDate":"2023-07-01","firstRepaymentOn":"2023-07-31",
                 "certificateNumbers":["\(certificate)"],"bankAccount":"6228480012345678901"}
                """
            let granted = try await client.send(.post, "/loan-subsidies", token: Tokens.consumer("borrower-1"), json: application)
            #expect(granted.status == .created, "\(granted.text)")
            #expect(granted.status_ == "granted")
            #expect(granted.json["grantedAmount"] as? Int == 200_000)
            #expect((granted.json["schedule"] as? [[String: Any]])?.count == 24)
            #expect(!granted.text.contains(id))
            let again = try await client.send(.post, "/loan-subsidies", token: Tokens.consumer("borrower-1"), json: application)
            #expect(again.status == .conflict)
            #expect(again.code == "loan-already-subsidised")
            #expect(try await client.send(.get, "/loan-subsidies/\(granted.id)", token: Tokens.consumer("borrower-2")).status == .notFound)
            #expect(try await client.send(.get, "/loan-subsidies/\(granted.id)", token: Tokens.region("330100")).status == .ok)
            let usage = try await client.send(.get, "/programmes/\(drafted.id)").json["usage"] as? [String: Any]
            #expect(usage?["reserved"] as? Int == 200_000)

            // Repayment periods are paid through payment batches once due.
            let early = try await client.send(.post, "/programmes/\(drafted.id)/payment-batches", token: Tokens.region("330100"))
            #expect(early.code == "nothing-to-pay", "the first repayment is due on 07-31")
            harness.clock.set("2023-09-01")
            let batch = try await client.send(.post, "/programmes/\(drafted.id)/payment-batches", token: Tokens.region("330100"))
            #expect(batch.status == .created, "\(batch.text)")
            let payments = batch.json["payments"] as? [[String: Any]] ?? []
            #expect(Set(payments.compactMap { $0["loanPeriod"] as? Int }) == [1, 2])
            #expect(payments.allSatisfy { $0["loanSubsidyID"] as? String == granted.id && $0["claimID"] == nil })
            #expect(batch.json["total"] as? Int == 12_500 + 12_153)
            let file = try await client.send(.get, "/payment-batches/\(batch.id)/transfer-file", token: Tokens.region("330100"))
            #expect(file.text.contains(",6228480012345678901,"))
            let confirmation = "payment_id,status,bank_reference,reason\n"
                + payments.map { "\($0["id"] as! String),paid,LOAN-\($0["loanPeriod"] as! Int),\n" }.joined()
            let confirmed = try await client.send(.post, "/payment-batches/\(batch.id)/confirmation", token: Tokens.region("330100"),
                                                  text: confirmation)
            #expect(confirmed.json["paid"] as? Int == 2, "\(confirmed.text)")
            let paidUsage = try await client.send(.get, "/programmes/\(drafted.id)").json["usage"] as? [String: Any]
            #expect(paidUsage?["paid"] as? Int == 24_653)
            #expect(paidUsage?["reserved"] as? Int == 200_000 - 24_653)
            #expect(try await client.send(.post, "/programmes/\(drafted.id)/payment-batches", token: Tokens.region("330100")).code
                    == "nothing-to-pay", "paid periods are not paid again")
            harness.clock.set("2023-07-10")

            let bad = application.replacingOccurrences(of: "\"loanTermMonths\":36", with: "\"loanTermMonths\":0")
                .replacingOccurrences(of: "\"loanDate\":\"2023-07-01\"", with: "\"loanDate\":\"2023-07-11\"")
                .replacingOccurrences(of: certificate, with: "not a number!")
            let refused = try await client.send(.post, "/loan-subsidies", token: Tokens.consumer("borrower-1"), json: bad)
            #expect(Set(refused.fields) == ["loanTermMonths", "loanDate", "certificateNumbers[0]"], "\(refused.fields)")

            let unknown = application.replacingOccurrences(of: certificate, with: Sample.certificateNumber())
                .replacingOccurrences(of: "ZJRCB-2023-0001", with: "ZJRCB-2023-0002")
            let rejected = try await client.send(.post, "/loan-subsidies", token: Tokens.consumer("borrower-1"), json: unknown)
            #expect(rejected.status_ == "rejected")
            #expect(rejected.reasons == ["unknown-certificate"])
        }
        #expect(try await harness.events(LoanInterestSubsidyGranted.eventType.name).count == 1)
        #expect(try await harness.count("loan_subsidy_period") == 24)
        #expect(try await harness.count("loan_subsidy_period WHERE paid_at IS NOT NULL") == 2)
        let made = try await harness.events(PaymentMade.eventType.name)
        #expect(made.count == 2 && made.allSatisfy { $0.payload["purpose"] as? String == "loan-interest-subsidy" })
    }
}
