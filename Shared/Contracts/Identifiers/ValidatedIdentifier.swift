/// An identifier that exists only once its text has passed its rule (length, alphabet, check digit), and that
/// travels as that text: in JSON, in events, in database columns.
///
/// Decoding runs the same check as ``init(validating:)``, so a payload with a mistyped code fails to decode with the
/// reason, never with a half-valid value; encoding writes the canonical text.
public protocol ValidatedIdentifier: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible
where RawValue == String {
    /// The identifier, or why `text` is not one.
    init(validating text: String) throws(IdentifierValidationError)
}

extension ValidatedIdentifier {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(validating: try container.decode(String.self))
        } catch let error as IdentifierValidationError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
