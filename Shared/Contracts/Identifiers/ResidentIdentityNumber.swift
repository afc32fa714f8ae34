import Foundation

/// A resident identity card number (公民身份号码, GB 11643), validated by its ISO 7064 MOD 11-2 check character.
///
/// 18 characters: a 6-digit region code (whose first two digits must be a province-level division), the birth
/// date `YYYYMMDD` (a real date, not in the future), a 3-digit sequence and a check character `0`–`9` or `X`
/// (lower-case `x` is accepted and upper-cased).
///
/// This is personal data: `description` is masked so that string interpolation into a log cannot leak it; only
/// `rawValue` gives the number, for hashing and encryption. It never appears in an event.
public struct ResidentIdentityNumber: ValidatedIdentifier {
    public let rawValue: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = Array("10X98765432")

    public init(validating text: String) throws(IdentifierValidationError) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else {
            throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .wrongLength(expected: "18", actual: characters.count))
        }
        let expected = try Self.checkCharacter(forFirst17: String(characters[0..<17]))
        guard characters[17] == expected else {
            guard Self.checkCharacters.contains(characters[17]) else {
                throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidCharacter(characters[17], position: 18))
            }
            throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .checkCharacterMismatch(expected: expected, actual: characters[17]))
        }
        let province = String(characters[0..<2])
        guard DivisionCode.provincePrefixes.contains(province) else {
            throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .unknownProvince(province))
        }
        let digits = characters[6..<14].map { Int(String($0))! }
        let year = digits[0..<4].reduce(0) { $0 * 10 + $1 }
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        guard year >= 1850, let birthDate = CalendarDate(year: year, month: month, day: day),
              birthDate <= CalendarDate(Date(), in: WorkingDayCalendar.timeZone)
        else {
            throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidBirthDate)
        }
        rawValue = String(characters)
    }

    public init?(rawValue: String) {
        guard let number = try? Self(validating: rawValue) else { return nil }
        self = number
    }

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits (for generating test data).
    public static func checkCharacter(forFirst17 prefix: String) throws(IdentifierValidationError) -> Character {
        let characters = Array(prefix)
        guard characters.count == 17 else {
            throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .wrongLength(expected: "17 (without the check character)", actual: characters.count))
        }
        var sum = 0
        for (index, character) in characters.enumerated() {
            guard character.isASCII, let digit = character.wholeNumberValue else {
                throw IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidCharacter(character, position: index + 1))
            }
            sum += digit * weights[index]
        }
        return checkCharacters[sum % 11]
    }

    /// The six-digit region code of the place of first registration.
    public var regionPrefix: String { String(rawValue.prefix(6)) }

    public var birthDate: CalendarDate {
        let digits = Array(rawValue)[6..<14].map { Int(String($0))! }
        return CalendarDate(
            year: digits[0..<4].reduce(0) { $0 * 10 + $1 }, month: digits[4] * 10 + digits[5], day: digits[6] * 10 + digits[7])!
    }

    /// The number with all but the first three and last four characters hidden: `110***********002X`.
    public var masked: String {
        String(rawValue.prefix(3)) + String(repeating: "*", count: 11) + String(rawValue.suffix(4))
    }

    /// Masked: see `masked`.
    public var description: String { masked }
}
