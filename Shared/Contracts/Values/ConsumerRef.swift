/// How events name a consumer: a keyed hash (64 lower-case hex digits, e.g. HMAC-SHA256 of the normalised ID
/// number under a service-held key), never a name, phone number or ID number.
///
/// The same person gets the same reference in every event, so claims and complaints can be matched, but the
/// reference cannot be turned back into the person without the key.
public struct ConsumerRef: ValidatedIdentifier {
    public let rawValue: String

    public init(validating text: String) throws(IdentifierValidationError) {
        guard text.count == 64 else {
            throw IdentifierValidationError(kind: .consumerRef, reason: .wrongLength(expected: "64", actual: text.count))
        }
        for (index, character) in text.enumerated() where !("0123456789abcdef".contains(character)) {
            throw IdentifierValidationError(kind: .consumerRef, reason: .invalidCharacter(character, position: index + 1))
        }
        rawValue = text
    }

    public init?(rawValue: String) {
        guard let reference = try? Self(validating: rawValue) else { return nil }
        self = reference
    }

    /// A reference from the raw bytes of a 32-byte keyed hash.
    public init?(hashBytes: some Collection<UInt8>) {
        guard hashBytes.count == 32 else { return nil }
        let hexDigits = Array("0123456789abcdef")
        rawValue = String(hashBytes.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0F)]] })
    }
}
