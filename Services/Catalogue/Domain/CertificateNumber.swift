/// A green building material certificate number: 4–40 characters of upper-case letters, digits and hyphens,
/// starting with a letter or digit (`CGBM-2023-ZJ-000871`). Once revoked, a number is never issued again.
public struct CertificateNumber: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Why a text is not a certificate number.
    public static let rule = "must be 4–40 characters of A–Z, 0–9 and '-', starting with a letter or digit"

    public init?(rawValue: String) {
        let text = rawValue.uppercased()
        let bytes = Array(text.utf8)
        guard (4...40).contains(bytes.count) else { return nil }
        func allowed(_ b: UInt8, first: Bool) -> Bool {
            (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || (!first && b == 45)
        }
        guard allowed(bytes[0], first: true), bytes.dropFirst().allSatisfy({ allowed($0, first: false) }) else {
            return nil
        }
        self.rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let number = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.rule)
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
