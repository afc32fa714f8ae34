/// An organisation's unified social credit code (统一社会信用代码, GB 32100-2015), validated by its check character.
///
/// 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z): registration authority, organisation
/// category, 6-digit registration region, 9-character organisation code and the check character
/// C18 = (31 − Σ Ci·Wi mod 31) mod 31, Wi = 3^(i−1) mod 31. Lower-case input is accepted and upper-cased.
public struct UnifiedSocialCreditCode: ValidatedIdentifier, Comparable {
    public let rawValue: String

    /// The 31 characters the code uses, in value order.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights: [Int] = (0..<17).map { i in (0..<i).reduce(1) { product, _ in product * 3 % 31 } }

    public init(validating text: String) throws(IdentifierValidationError) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else {
            throw IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .wrongLength(expected: "18", actual: characters.count))
        }
        let expected = try Self.checkCharacter(forFirst17: String(characters[0..<17]))
        guard Self.alphabet.contains(characters[17]) else {
            throw IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .invalidCharacter(characters[17], position: 18))
        }
        guard characters[17] == expected else {
            throw IdentifierValidationError(
                kind: .unifiedSocialCreditCode, reason: .checkCharacterMismatch(expected: expected, actual: characters[17]))
        }
        rawValue = String(characters)
    }

    public init?(rawValue: String) {
        guard let code = try? Self(validating: rawValue) else { return nil }
        self = code
    }

    /// The check character for the first 17 characters of a code (for generating seed and test data).
    public static func checkCharacter(forFirst17 prefix: String) throws(IdentifierValidationError) -> Character {
        let characters = Array(prefix.uppercased())
        guard characters.count == 17 else {
            throw IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .wrongLength(expected: "17 (without the check character)", actual: characters.count))
        }
        var sum = 0
        for (index, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else {
                throw IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .invalidCharacter(character, position: index + 1))
            }
            sum += value * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The six-digit code of the region where the organisation registered (characters 3–8).
    public var registrationRegion: String { String(rawValue.dropFirst(2).prefix(6)) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
