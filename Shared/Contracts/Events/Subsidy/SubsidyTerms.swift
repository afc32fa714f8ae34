/// The rate a purchase subsidy pays for one star grade.
public struct GradeRate: Codable, Sendable, Hashable {
    public var starGrade: StarGrade
    /// Basis points of the unit price (1 500 = 15 %).
    public var rateBasisPoints: Int

    public init(starGrade: StarGrade, rateBasisPoints: Int) {
        self.starGrade = starGrade
        self.rateBasisPoints = rateBasisPoints
    }

    public static var schema: JSONSchema {
        .object([
            .required("starGrade", .enumeration(StarGrade.self), "The grade."),
            .required("rateBasisPoints", .basisPoints, "Basis points of the unit price (1 500 = 15 %)."),
        ])
    }
}

/// One level of government's share of a programme's funding.
public struct FundingShare: Codable, Sendable, Hashable {
    public var level: FundingLevel
    /// Basis points of every amount paid (the shares of a programme add up to 10 000).
    public var basisPoints: Int

    public init(level: FundingLevel, basisPoints: Int) {
        self.level = level
        self.basisPoints = basisPoints
    }

    public static var schema: JSONSchema {
        .object([
            .required("level", .enumeration(FundingLevel.self), "The level of government."),
            .required("basisPoints", .basisPoints, "Its share, in basis points (a programme's shares add up to 10 000)."),
        ])
    }
}

/// What a purchase subsidy pays, per unit bought:
///
/// - unit price above `priceCeiling` (when set): nothing;
/// - above `fixedAmountPriceThreshold` (when set): `fixedAmount`;
/// - otherwise the grade's rate of the unit price (or `localListRateBasisPoints` for an uncertified local-list
///   product), rounded by the programme's `rounding`;
/// - never more than `capPerItem`.
///
/// A line pays that per-unit amount times its quantity. A household may receive at most `householdCapCount` items
/// and `householdCapAmount` fen per product category over the programme.
public struct PurchaseSubsidyTerms: Codable, Sendable, Hashable {
    public var gradeRates: [GradeRate]
    /// The rate for products on the region's local list without a certificate; absent: they are excluded.
    public var localListRateBasisPoints: Int?
    /// Whether a certified product must also be on the region's local list.
    public var requiresLocalList: Bool
    public var eligibleCategories: [ProductCategory]
    public var capPerItem: Fen
    public var fixedAmountPriceThreshold: Fen?
    public var fixedAmount: Fen?
    public var priceCeiling: Fen?
    public var householdCapCount: Int
    public var householdCapAmount: Fen

    public init(
        gradeRates: [GradeRate], localListRateBasisPoints: Int? = nil, requiresLocalList: Bool = false,
        eligibleCategories: [ProductCategory], capPerItem: Fen, fixedAmountPriceThreshold: Fen? = nil,
        fixedAmount: Fen? = nil, priceCeiling: Fen? = nil, householdCapCount: Int, householdCapAmount: Fen
    ) {
        self.gradeRates = gradeRates
        self.localListRateBasisPoints = localListRateBasisPoints
        self.requiresLocalList = requiresLocalList
        self.eligibleCategories = eligibleCategories
        self.capPerItem = capPerItem
        self.fixedAmountPriceThreshold = fixedAmountPriceThreshold
        self.fixedAmount = fixedAmount
        self.priceCeiling = priceCeiling
        self.householdCapCount = householdCapCount
        self.householdCapAmount = householdCapAmount
    }

    /// The rate for `grade`, if the programme pays for it.
    public func rate(for grade: StarGrade) -> Int? {
        gradeRates.first { $0.starGrade == grade }?.rateBasisPoints
    }

    /// What one unit at `unitPrice` earns at `rate`, or nil when the price is over the ceiling.
    public func subsidy(unitPrice: Fen, rateBasisPoints rate: Int, rounding: RoundingRule) -> Fen? {
        if let priceCeiling, unitPrice > priceCeiling { return nil }
        let amount: Fen
        if let fixedAmountPriceThreshold, let fixedAmount, unitPrice > fixedAmountPriceThreshold {
            amount = fixedAmount
        } else {
            amount = Fen.percentage(of: unitPrice, basisPoints: rate, rounding: rounding)
        }
        return Swift.min(amount, capPerItem)
    }

    public static var schema: JSONSchema {
        .object([
            .required("gradeRates", .array(of: GradeRate.schema, minItems: 1), "Rate per star grade."),
            .optional("localListRateBasisPoints", .basisPoints, "Rate for uncertified local-list products; absent: excluded."),
            .required("requiresLocalList", .boolean, "Whether a certified product must also be on the region's local list."),
            .required("eligibleCategories", .array(of: .enumeration(ProductCategory.self), minItems: 1, uniqueItems: true),
                      "Product categories that qualify."),
            .required("capPerItem", .fen, "Most paid for one unit, in fen."),
            .optional("fixedAmountPriceThreshold", .fen, "Unit price above which a fixed amount is paid instead of the rate."),
            .optional("fixedAmount", .fen, "The fixed amount per unit above the threshold, in fen."),
            .optional("priceCeiling", .fen, "Unit price above which nothing is paid."),
            .required("householdCapCount", .integer(minimum: 1), "Most items one household may claim per category."),
            .required("householdCapAmount", .fen, "Most subsidy one household may receive per category, in fen."),
        ])
    }
}

/// What a loan interest subsidy (贷款贴息) pays: `subsidyRateBasisPoints` a year on the part of the outstanding
/// principal that financed eligible materials, per repayment period, for loans up to `maxPrincipal` and
/// `maxTermMonths`, at most `capPerLoan` in total.
public struct LoanInterestTerms: Codable, Sendable, Hashable {
    public var subsidyRateBasisPoints: Int
    public var maxPrincipal: Fen
    public var maxTermMonths: Int
    public var capPerLoan: Fen

    public init(subsidyRateBasisPoints: Int, maxPrincipal: Fen, maxTermMonths: Int, capPerLoan: Fen) {
        self.subsidyRateBasisPoints = subsidyRateBasisPoints
        self.maxPrincipal = maxPrincipal
        self.maxTermMonths = maxTermMonths
        self.capPerLoan = capPerLoan
    }

    public static var schema: JSONSchema {
        .object([
            .required("subsidyRateBasisPoints", .basisPoints, "Subsidised annual interest rate, in basis points."),
            .required("maxPrincipal", .fen, "Largest principal subsidised, in fen."),
            .required("maxTermMonths", .integer(minimum: 1, maximum: 360), "Longest term subsidised, in months."),
            .required("capPerLoan", .fen, "Most paid for one loan over its life, in fen."),
        ])
    }
}

/// One line of a claim as events carry it.
public struct ClaimLine: Codable, Sendable, Hashable {
    /// The product's certificate (absent for an uncertified local-list product).
    public var certificateNumber: CertificateNumber?
    /// The region's local-list entry (for an uncertified product, or a certified one the programme wants listed).
    public var localListEntryID: String?
    public var quantity: Int
    public var unitPrice: Fen
    /// Subsidy for the line, in fen (0 when the line is not eligible).
    public var subsidyAmount: Fen

    public init(
        certificateNumber: CertificateNumber? = nil, localListEntryID: String? = nil, quantity: Int, unitPrice: Fen,
        subsidyAmount: Fen
    ) {
        self.certificateNumber = certificateNumber
        self.localListEntryID = localListEntryID
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.subsidyAmount = subsidyAmount
    }

    public static var schema: JSONSchema {
        .object([
            .optional("certificateNumber", .certificateNumber, "The product's certificate."),
            .optional("localListEntryID", .uuid, "The region's local-list entry."),
            .required("quantity", .integer(minimum: 1, maximum: 10_000), "Units bought."),
            .required("unitPrice", .fen, "Price of one unit, in fen."),
            .required("subsidyAmount", .fen, "Subsidy for the line, in fen."),
        ])
    }
}
