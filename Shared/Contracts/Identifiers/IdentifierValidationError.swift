/// Why a string is not a valid identifier.
///
/// The rejected value itself is deliberately not kept: a resident identity number is personal data, and errors
/// end up in logs and problem responses.
public struct IdentifierValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case unifiedSocialCreditCode = "unified social credit code"
        case residentIdentityNumber = "resident identity number"
        case divisionCode = "division code"
        case consumerRef = "consumer reference"
        case certificateNumber = "certificate number"
    }

    public enum Reason: Sendable, Hashable {
        /// The value has `actual` characters; `expected` says how many it should have.
        case wrongLength(expected: String, actual: Int)
        /// The character at `position` (1-based) is not allowed there.
        case invalidCharacter(Character, position: Int)
        /// The check character is `actual` but the others give `expected`.
        case checkCharacterMismatch(expected: Character, actual: Character)
        /// The first two digits are no province, autonomous region, municipality or SAR.
        case unknownProvince(String)
        /// The embedded birth date is not a real date or lies in the future.
        case invalidBirthDate
        /// The digits do not form a code of any level (e.g. a city part of `00` with a county part).
        case invalidStructure(String)
    }

    public let kind: Kind
    public let reason: Reason

    public init(kind: Kind, reason: Reason) {
        self.kind = kind
        self.reason = reason
    }

    /// A stable machine-readable code (`check-character-mismatch`), for problem responses.
    public var code: String {
        switch reason {
        case .wrongLength: "wrong-length"
        case .invalidCharacter: "invalid-character"
        case .checkCharacterMismatch: "check-character-mismatch"
        case .unknownProvince: "unknown-province"
        case .invalidBirthDate: "invalid-birth-date"
        case .invalidStructure: "invalid-structure"
        }
    }

    public var description: String {
        switch reason {
        case .wrongLength(let expected, let actual):
            "\(kind.rawValue) must have \(expected) characters, not \(actual)"
        case .invalidCharacter(let character, let position):
            "\(kind.rawValue) has the character '\(character)' at position \(position), which is not allowed there"
        case .checkCharacterMismatch(let expected, let actual):
            "\(kind.rawValue) check character is '\(actual)' but should be '\(expected)': a character is mistyped"
        case .unknownProvince(let prefix):
            "\(kind.rawValue) starts with '\(prefix)', which is not a province-level division"
        case .invalidBirthDate:
            "\(kind.rawValue) contains a birth date that does not exist or lies in the future"
        case .invalidStructure(let detail):
            "\(kind.rawValue) is malformed: \(detail)"
        }
    }
}
