/// A green building material certificate number: 4–40 characters of upper-case letters, digits and hyphens,
/// starting with a letter or digit (`CGBM-2023-ZJ-000871`). Lower-case letters are read as upper-case. Once revoked,
/// a number is never issued again.
public struct CertificateNumber: ValidatedIdentifier, Comparable {
    public let rawValue: String

    /// Why a text is not a certificate number.
    public static let rule = "must be 4–40 characters of A–Z, 0–9 and '-', starting with a letter or digit"

    public init(validating text: String) throws(IdentifierValidationError) {
        func failure(_ reason: IdentifierValidationError.Reason) -> IdentifierValidationError {
            IdentifierValidationError(kind: .certificateNumber, reason: reason)
        }
        let upper = text.uppercased()
        guard (4...40).contains(upper.count) else { throw failure(.wrongLength(expected: "4 to 40", actual: upper.count)) }
        for (index, character) in upper.enumerated() {
            let allowed = character.isASCII && (character.isUppercase || character.isNumber || (index > 0 && character == "-"))
            guard allowed else { throw failure(.invalidCharacter(character, position: index + 1)) }
        }
        rawValue = upper
    }

    public init?(rawValue: String) {
        guard let number = try? Self(validating: rawValue) else { return nil }
        self = number
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
