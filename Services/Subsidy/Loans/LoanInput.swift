import Contracts
import Foundation
import ServiceKit

/// A loan interest subsidy application (`POST /loan-subsidies`), by the borrower or by a regional official for
/// them, and its checks: every malformed field at once, by name.
struct LoanInput: Decodable, Sendable {
    var programmeID: String
    var borrowerIDNumber: String
    var householdID: String
    var lender: String
    var loanContractNumber: String
    var loanPrincipal: Int64
    /// Share of the loan spent on eligible green building materials, in basis points.
    var eligibleShareBasisPoints: Int
    var loanTermMonths: Int
    var interestRateBasisPoints: Int
    var loanDate: String
    var firstRepaymentOn: String
    var certificateNumbers: [String]
    var bankAccount: String

    func validated(today: CalendarDate) throws(Problem) -> LoanApplication {
        var validator = Validator()
        let programme = UUID(uuidString: programmeID)
        validator.require(programme != nil, field: "programmeID", "must be a programme id (a UUID)")
        let idNumber = validator.residentIdentityNumber(borrowerIDNumber, field: "borrowerIDNumber")
        let household = householdID.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.require((1...64).contains(household.unicodeScalars.count), field: "householdID", "must be 1 to 64 characters")
        validator.text(lender, field: "lender", maxLength: 200)
        validator.text(loanContractNumber, field: "loanContractNumber", maxLength: 100)
        validator.fen(loanPrincipal, field: "loanPrincipal")
        validator.require(loanPrincipal > 0, field: "loanPrincipal", "must be more than 0 fen")
        validator.require((1...10_000).contains(eligibleShareBasisPoints), field: "eligibleShareBasisPoints", "must be 1 to 10000 basis points")
        validator.require((1...360).contains(loanTermMonths), field: "loanTermMonths", "must be 1 to 360 months")
        validator.require((1...10_000).contains(interestRateBasisPoints), field: "interestRateBasisPoints", "must be 1 to 10000 basis points")
        let loanDay = validator.calendarDate(loanDate, field: "loanDate")
        let first = validator.calendarDate(firstRepaymentOn, field: "firstRepaymentOn")
        if let loanDay {
            validator.require(loanDay <= today, field: "loanDate", "must not be in the future")
            validator.require(loanDay >= ClaimInput.campaignStart, field: "loanDate", "must be within the campaign (from 2022-01-01)")
            if let first {
                validator.require(first > loanDay && first <= loanDay.adding(days: 366), field: "firstRepaymentOn",
                                  "must be after loanDate and within a year of it")
            }
        }
        validator.require((1...50).contains(certificateNumbers.count), field: "certificateNumbers", "must name 1 to 50 certificates")
        var certificates: [CertificateNumber] = []
        for (index, text) in certificateNumbers.prefix(50).enumerated() {
            if let number = validator.certificateNumber(text, field: "certificateNumbers[\(index)]") { certificates.append(number) }
        }
        validator.require(Set(certificates).count == certificates.count, field: "certificateNumbers", "must not repeat a certificate")
        let account = bankAccount.filter { !$0.isWhitespace }
        validator.require(account.wholeMatch(of: ClaimInput.accountDigits) != nil, field: "bankAccount", "must be 12 to 30 digits")
        try validator.validate()
        guard let programme, let idNumber, let loanDay, let first else { throw Problem.validation(validator.errors) }
        return LoanApplication(
            programmeID: programme, idNumber: idNumber, householdID: household, lender: lender,
            contractNumber: loanContractNumber, principal: Fen(loanPrincipal), eligibleShareBasisPoints: eligibleShareBasisPoints,
            termMonths: loanTermMonths, interestRateBasisPoints: interestRateBasisPoints, loanDate: loanDay,
            firstRepaymentOn: first, certificates: certificates, bankAccount: account)
    }
}

/// A loan application's checked fields.
struct LoanApplication: Sendable {
    var programmeID: UUID
    var idNumber: ResidentIdentityNumber
    var householdID: String
    var lender: String
    var contractNumber: String
    var principal: Fen
    var eligibleShareBasisPoints: Int
    var termMonths: Int
    var interestRateBasisPoints: Int
    var loanDate: CalendarDate
    var firstRepaymentOn: CalendarDate
    var certificates: [CertificateNumber]
    var bankAccount: String
}
