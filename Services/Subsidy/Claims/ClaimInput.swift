import Contracts
import Foundation
import ServiceKit

/// A claim as a seller or buyer submits it (`POST /claims`), and its checks: every malformed field is reported at
/// once, by name. What the checks cannot see (certificates, enrolment, caps, budget) is eligibility's work.
struct ClaimInput: Decodable, Sendable {
    struct LineInput: Decodable, Sendable {
        var certificateNumber: String?
        var localListEntryID: String?
        var quantity: Int
        var unitPrice: Int64
    }

    var programmeID: String
    /// The buyer's 18-character resident identity number (GB 11643, ISO 7064 MOD 11-2 check character).
    var buyerIDNumber: String
    /// The buyer's household identifier (户号), as the household register writes it.
    var householdID: String
    var buyerPhone: String?
    var sellerCreditCode: String
    var invoiceCode: String?
    var invoiceNumber: String
    var purchasedOn: String
    var lines: [LineInput]
    /// The account the subsidy is paid to.
    var bankAccount: String

    static let maximumLines = 50
    nonisolated(unsafe) static let mobile = /1[3-9][0-9]{9}/
    nonisolated(unsafe) static let invoiceCodeDigits = /[0-9]{10}|[0-9]{12}/
    nonisolated(unsafe) static let invoiceNumberDigits = /[0-9]{8,20}/
    nonisolated(unsafe) static let accountDigits = /[0-9]{12,30}/
    static let campaignStart = CalendarDate(year: 2022, month: 1, day: 1)!

    /// The checked submission, or a 422 listing every bad field. `today` bounds the purchase date.
    func validated(today: CalendarDate) throws(Problem) -> ClaimSubmission {
        var validator = Validator()
        let programme = UUID(uuidString: programmeID)
        validator.require(programme != nil, field: "programmeID", "must be a programme id (a UUID)")
        let idNumber = validator.residentIdentityNumber(buyerIDNumber, field: "buyerIDNumber")
        let household = householdID.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.require((1...64).contains(household.unicodeScalars.count), field: "householdID", "must be 1 to 64 characters")
        if let buyerPhone {
            validator.require(buyerPhone.wholeMatch(of: Self.mobile) != nil, field: "buyerPhone",
                              "must be an 11-digit mainland mobile number")
        }
        let seller = validator.creditCode(sellerCreditCode, field: "sellerCreditCode")
        if let invoiceCode {
            validator.require(invoiceCode.wholeMatch(of: Self.invoiceCodeDigits) != nil, field: "invoiceCode",
                              "must be 10 or 12 digits")
        }
        validator.require(invoiceNumber.wholeMatch(of: Self.invoiceNumberDigits) != nil, field: "invoiceNumber", "must be 8 to 20 digits")
        let purchased = validator.calendarDate(purchasedOn, field: "purchasedOn")
        if let purchased {
            validator.require(purchased <= today, field: "purchasedOn", "must not be in the future")
            validator.require(purchased >= Self.campaignStart, field: "purchasedOn", "must be within the campaign (from 2022-01-01)")
        }
        let account = bankAccount.filter { !$0.isWhitespace }
        validator.require(account.wholeMatch(of: Self.accountDigits) != nil, field: "bankAccount", "must be 12 to 30 digits")

        validator.require((1...Self.maximumLines).contains(lines.count), field: "lines",
                          "must hold 1 to \(Self.maximumLines) lines")
        var checked: [ClaimSubmission.Line] = []
        var total: Int64 = 0
        for (index, line) in lines.prefix(Self.maximumLines).enumerated() {
            let field = "lines[\(index)]"
            var certificate: CertificateNumber?
            if let text = line.certificateNumber {
                certificate = validator.certificateNumber(text, field: "\(field).certificateNumber")
            }
            var entry: UUID?
            if let text = line.localListEntryID {
                entry = UUID(uuidString: text)
                validator.require(entry != nil, field: "\(field).localListEntryID", "must be a local-list entry id (a UUID)")
            }
            validator.require(line.certificateNumber != nil || line.localListEntryID != nil, field: field,
                              "must name a certificateNumber or a localListEntryID")
            validator.require((1...10_000).contains(line.quantity), field: "\(field).quantity", "must be 1 to 10000")
            validator.fen(line.unitPrice, field: "\(field).unitPrice")
            validator.require(line.unitPrice > 0, field: "\(field).unitPrice", "must be more than 0 fen")
            let (lineTotal, overflow) = line.unitPrice.multipliedReportingOverflow(by: Int64(max(line.quantity, 0)))
            if !overflow, lineTotal <= Validator.maximumFen, total <= Validator.maximumFen - lineTotal {
                total += lineTotal
            } else if line.unitPrice > 0 {
                validator.add(field: "\(field).unitPrice", reason: "makes the purchase total exceed \(Validator.maximumFen) fen")
            }
            checked.append(ClaimSubmission.Line(
                certificateNumber: certificate, localListEntryID: entry, quantity: line.quantity, unitPrice: Fen(line.unitPrice)))
        }
        try validator.validate()
        guard let programme, let idNumber, let seller, let purchased else { throw Problem.validation(validator.errors) }
        return ClaimSubmission(
            programmeID: programme, idNumber: idNumber, householdID: household, phone: buyerPhone, seller: seller,
            invoiceCode: invoiceCode, invoiceNumber: invoiceNumber, purchasedOn: purchased, lines: checked,
            bankAccount: account, purchaseAmount: Fen(total))
    }
}

/// A claim's checked fields.
struct ClaimSubmission: Sendable {
    struct Line: Sendable {
        var certificateNumber: CertificateNumber?
        var localListEntryID: UUID?
        var quantity: Int
        var unitPrice: Fen
    }

    var programmeID: UUID
    var idNumber: ResidentIdentityNumber
    var householdID: String
    var phone: String?
    var seller: UnifiedSocialCreditCode
    var invoiceCode: String?
    var invoiceNumber: String
    var purchasedOn: CalendarDate
    var lines: [Line]
    var bankAccount: String
    var purchaseAmount: Fen
}
