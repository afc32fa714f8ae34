import Contracts
import ServiceKit

/// A programme as a region's official drafts it (`POST /programmes`), and its checks: every bad field is reported
/// at once, by name.
struct ProgrammeInput: Decodable, Sendable {
    struct GradeRateInput: Decodable, Sendable {
        var starGrade: String
        var rateBasisPoints: Int
    }

    struct FundingShareInput: Decodable, Sendable {
        var level: String
        var basisPoints: Int
    }

    struct PurchaseTermsInput: Decodable, Sendable {
        var gradeRates: [GradeRateInput]
        var localListRateBasisPoints: Int?
        var requiresLocalList: Bool?
        var eligibleCategories: [String]
        var capPerItem: Int64
        var fixedAmountPriceThreshold: Int64?
        var fixedAmount: Int64?
        var priceCeiling: Int64?
        var householdCapCount: Int
        var householdCapAmount: Int64
    }

    struct LoanTermsInput: Decodable, Sendable {
        var subsidyRateBasisPoints: Int
        var maxPrincipal: Int64
        var maxTermMonths: Int
        var capPerLoan: Int64
    }

    var regionCode: String
    var name: String
    var kind: String
    var startsOn: String
    var endsOn: String
    var budget: Int64
    var fundingShares: [FundingShareInput]
    var rounding: String?
    var reviewThreshold: Int64
    var purchaseTerms: PurchaseTermsInput?
    var loanTerms: LoanTermsInput?

    /// The checked programme, or a 422 listing every bad field.
    func validated() throws(Problem) -> ProgrammeTerms {
        var validator = Validator()
        let region = validator.divisionCode(regionCode, field: "regionCode")
        validator.text(name, field: "name", maxLength: 200)
        let kind = validator.oneOf(kind, as: SubsidyKind.self, field: "kind")
        let starts = validator.calendarDate(startsOn, field: "startsOn")
        let ends = validator.calendarDate(endsOn, field: "endsOn")
        if let starts, let ends {
            validator.require(starts <= ends, field: "endsOn", "must not be before startsOn")
            validator.require(starts.year >= 2022 && ends.year <= 2100, field: "startsOn", "must be within 2022–2100")
        }
        validator.fen(budget, field: "budget")
        validator.require(budget > 0, field: "budget", "must be more than 0 fen")
        validator.fen(reviewThreshold, field: "reviewThreshold")
        let rounding = validator.oneOf(rounding ?? RoundingRule.halfUp.rawValue, as: RoundingRule.self, field: "rounding")

        var shares: [FundingShare] = []
        validator.require(!fundingShares.isEmpty, field: "fundingShares", "must name at least one funder")
        for (index, share) in fundingShares.enumerated() {
            let field = "fundingShares[\(index)]"
            let level = validator.oneOf(share.level, as: FundingLevel.self, field: "\(field).level")
            validator.require((1...10_000).contains(share.basisPoints), field: "\(field).basisPoints",
                              "must be 1 to 10000 basis points")
            if let level { shares.append(FundingShare(level: level, basisPoints: share.basisPoints)) }
        }
        if shares.count == fundingShares.count {
            validator.require(Set(shares.map(\.level)).count == shares.count, field: "fundingShares",
                              "must name each level once")
            validator.require(shares.map(\.basisPoints).reduce(0, +) == 10_000, field: "fundingShares",
                              "must add up to 10000 basis points")
        }

        var purchase: PurchaseSubsidyTerms?
        var loan: LoanInterestTerms?
        switch kind {
        case .purchase:
            validator.require(loanTerms == nil, field: "loanTerms", "must be absent for a purchase programme")
            if let purchaseTerms {
                purchase = Self.check(purchaseTerms, validator: &validator)
            } else {
                validator.add(field: "purchaseTerms", reason: "is required for a purchase programme")
            }
        case .loanInterest:
            validator.require(purchaseTerms == nil, field: "purchaseTerms", "must be absent for a loan-interest programme")
            if let loanTerms {
                loan = Self.check(loanTerms, validator: &validator)
            } else {
                validator.add(field: "loanTerms", reason: "is required for a loan-interest programme")
            }
        case nil:
            break
        }
        try validator.validate()
        guard let region, let kind, let starts, let ends, let rounding, purchase != nil || loan != nil
        else { throw Problem.validation(validator.errors) }
        return ProgrammeTerms(
            regionCode: region, name: name, kind: kind, startsOn: starts, endsOn: ends, budget: Fen(budget),
            fundingShares: shares, rounding: rounding, reviewThreshold: Fen(reviewThreshold),
            purchaseTerms: purchase, loanTerms: loan)
    }

    private static func check(_ input: PurchaseTermsInput, validator: inout Validator) -> PurchaseSubsidyTerms? {
        let field = "purchaseTerms"
        var rates: [GradeRate] = []
        validator.require(!input.gradeRates.isEmpty, field: "\(field).gradeRates", "must name at least one grade")
        for (index, rate) in input.gradeRates.enumerated() {
            let grade = validator.oneOf(rate.starGrade, as: StarGrade.self, field: "\(field).gradeRates[\(index)].starGrade")
            validator.require((1...10_000).contains(rate.rateBasisPoints), field: "\(field).gradeRates[\(index)].rateBasisPoints",
                              "must be 1 to 10000 basis points")
            if let grade { rates.append(GradeRate(starGrade: grade, rateBasisPoints: rate.rateBasisPoints)) }
        }
        validator.require(Set(rates.map(\.starGrade)).count == rates.count, field: "\(field).gradeRates",
                          "must name each grade once")
        if let local = input.localListRateBasisPoints {
            validator.require((1...10_000).contains(local), field: "\(field).localListRateBasisPoints",
                              "must be 1 to 10000 basis points")
        }
        var categories: [ProductCategory] = []
        validator.require(!input.eligibleCategories.isEmpty, field: "\(field).eligibleCategories", "must name at least one category")
        for (index, text) in input.eligibleCategories.enumerated() {
            if let category = validator.oneOf(text, as: ProductCategory.self, field: "\(field).eligibleCategories[\(index)]") {
                categories.append(category)
            }
        }
        validator.fen(input.capPerItem, field: "\(field).capPerItem")
        validator.require(input.capPerItem > 0, field: "\(field).capPerItem", "must be more than 0 fen")
        for (name, value) in [("fixedAmountPriceThreshold", input.fixedAmountPriceThreshold),
                              ("fixedAmount", input.fixedAmount), ("priceCeiling", input.priceCeiling)] {
            if let value { validator.fen(value, field: "\(field).\(name)") }
        }
        validator.require((input.fixedAmountPriceThreshold == nil) == (input.fixedAmount == nil), field: "\(field).fixedAmount",
                          "must be given together with fixedAmountPriceThreshold")
        if let threshold = input.fixedAmountPriceThreshold, let ceiling = input.priceCeiling {
            validator.require(threshold < ceiling, field: "\(field).priceCeiling", "must be above fixedAmountPriceThreshold")
        }
        validator.require((1...Validator.maximumCount).contains(input.householdCapCount), field: "\(field).householdCapCount",
                          "must be a whole number from 1 to \(Validator.maximumCount)")
        validator.fen(input.householdCapAmount, field: "\(field).householdCapAmount")
        validator.require(input.householdCapAmount > 0, field: "\(field).householdCapAmount", "must be more than 0 fen")
        guard validator.isValid else { return nil }
        return PurchaseSubsidyTerms(
            gradeRates: rates, localListRateBasisPoints: input.localListRateBasisPoints,
            requiresLocalList: input.requiresLocalList ?? false, eligibleCategories: categories,
            capPerItem: Fen(input.capPerItem), fixedAmountPriceThreshold: input.fixedAmountPriceThreshold.map { Fen($0) },
            fixedAmount: input.fixedAmount.map { Fen($0) }, priceCeiling: input.priceCeiling.map { Fen($0) },
            householdCapCount: input.householdCapCount, householdCapAmount: Fen(input.householdCapAmount))
    }

    private static func check(_ input: LoanTermsInput, validator: inout Validator) -> LoanInterestTerms? {
        let field = "loanTerms"
        validator.require((1...10_000).contains(input.subsidyRateBasisPoints), field: "\(field).subsidyRateBasisPoints",
                          "must be 1 to 10000 basis points")
        validator.fen(input.maxPrincipal, field: "\(field).maxPrincipal")
        validator.require(input.maxPrincipal > 0, field: "\(field).maxPrincipal", "must be more than 0 fen")
        validator.require((1...360).contains(input.maxTermMonths), field: "\(field).maxTermMonths", "must be 1 to 360 months")
        validator.fen(input.capPerLoan, field: "\(field).capPerLoan")
        validator.require(input.capPerLoan > 0, field: "\(field).capPerLoan", "must be more than 0 fen")
        guard validator.isValid else { return nil }
        return LoanInterestTerms(
            subsidyRateBasisPoints: input.subsidyRateBasisPoints, maxPrincipal: Fen(input.maxPrincipal),
            maxTermMonths: input.maxTermMonths, capPerLoan: Fen(input.capPerLoan))
    }
}

/// A programme's checked terms: what it pays, when, from which budget.
struct ProgrammeTerms: Sendable, Hashable {
    var regionCode: DivisionCode
    var name: String
    var kind: SubsidyKind
    var startsOn: CalendarDate
    var endsOn: CalendarDate
    var budget: Fen
    var fundingShares: [FundingShare]
    var rounding: RoundingRule
    var reviewThreshold: Fen
    var purchaseTerms: PurchaseSubsidyTerms?
    var loanTerms: LoanInterestTerms?
}
