/// An amount of money in fen (分, 1/100 yuan), held as an `Int64`: never floating point.
///
/// Encodes as a plain JSON integer (`12345` is ¥123.45).
///
/// **Rounding rule** (the one rule the whole system uses): a rate applied to an amount is computed in integers
/// and rounded **half up to the fen**, i.e. half away from zero: `percentage(of: 333 fen, basisPoints: 1500)`
/// is 49.95 fen → 50 fen; for a negative amount the result is the negation of that for its magnitude.
public struct Fen: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, AdditiveArithmetic
{
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ fen: Int64) { self.rawValue = fen }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// A whole number of yuan.
    public init(yuan: Int64) { self.rawValue = yuan * 100 }

    public static let zero = Fen(0)

    /// `basisPoints`/10 000 of `amount` (1 500 basis points = 15 %), rounded half up to the fen.
    /// - Precondition: `basisPoints >= 0` and the result fits in `Int64`.
    public static func percentage(of amount: Fen, basisPoints: Int) -> Fen {
        percentage(of: amount, basisPoints: basisPoints, rounding: .halfUp)
    }

    /// `basisPoints`/10 000 of `amount`, rounded to the fen by `rounding` (a programme may state "down").
    /// - Precondition: `basisPoints >= 0` and the result fits in `Int64`.
    public static func percentage(of amount: Fen, basisPoints: Int, rounding: RoundingRule) -> Fen {
        fraction(of: amount, times: basisPoints, over: 10_000, rounding: rounding)
    }

    /// `amount` × `numerator` / `denominator`, computed exactly in integers and rounded to the fen by `rounding`
    /// (a month's interest at an annual rate in basis points is `fraction(of:times: rate, over: 120_000)`).
    /// - Precondition: `numerator >= 0`, `denominator > 0` and the result fits in `Int64`.
    public static func fraction(of amount: Fen, times numerator: Int, over denominator: Int, rounding: RoundingRule) -> Fen {
        precondition(numerator >= 0 && denominator > 0, "a fraction of money needs a non-negative numerator and a positive denominator")
        let product = amount.rawValue.magnitude.multipliedFullWidth(by: UInt64(numerator))
        let (quotient, remainder) = UInt64(denominator).dividingFullWidth(product)
        let rounded = rounding == .halfUp && remainder >= UInt64(denominator) - remainder ? quotient + 1 : quotient
        let magnitude = Int64(rounded)
        return Fen(amount.rawValue < 0 ? -magnitude : magnitude)
    }

    public static func + (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.rawValue + rhs.rawValue) }
    public static func - (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.rawValue - rhs.rawValue) }
    public static func * (lhs: Fen, rhs: Int64) -> Fen { Fen(lhs.rawValue * rhs) }
    public static func * (lhs: Int64, rhs: Fen) -> Fen { Fen(lhs * rhs.rawValue) }
    public static prefix func - (amount: Fen) -> Fen { Fen(-amount.rawValue) }
    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `¥1234.56`, `-¥0.05`.
    public var description: String {
        let magnitude = rawValue.magnitude
        let cents = magnitude % 100
        return (rawValue < 0 ? "-" : "") + "¥\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension Sequence where Element == Fen {
    /// The total of the amounts.
    public func sum() -> Fen { reduce(.zero, +) }
}
