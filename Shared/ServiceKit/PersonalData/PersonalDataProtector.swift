import Crypto
import Foundation

/// Stores personal data (resident ID numbers, phone numbers) the way the design requires: a keyed hash to find
/// records by value, an encrypted form that only authorised users see decrypted, a masked form for everyone else.
///
/// ```swift
/// let hash = protector.matchingHash(idNumber)        // indexed column; equal inputs give equal hashes
/// let sealed = try protector.encrypt(idNumber)       // stored column
/// let shown = PersonalDataProtector.maskIDNumber(idNumber)
/// ```
/// Neither the clear value nor the hash belongs in logs or events.
public struct PersonalDataProtector: Sendable {
    /// Marks the ciphertext format, so a later key or algorithm change can be told apart.
    public static let ciphertextPrefix = "v1:"

    private let hashKey: Data
    private let encryptionKey: Data
    /// Keys of earlier rotations: tried, in order, on what the current key cannot open.
    private let previousEncryptionKeys: [Data]

    /// - Precondition: `encryptionKey` and every previous key are 32 bytes (AES-256); `hashKey` is not empty.
    public init(hashKey: Data, encryptionKey: Data, previousEncryptionKeys: [Data] = []) {
        precondition(!hashKey.isEmpty, "the personal-data hash key must not be empty")
        precondition(([encryptionKey] + previousEncryptionKeys).allSatisfy { $0.count == 32 },
                     "the personal-data encryption keys must be 32 bytes (AES-256)")
        self.hashKey = hashKey
        self.encryptionKey = encryptionKey
        self.previousEncryptionKeys = previousEncryptionKeys
    }

    public init(configuration: PersonalDataConfiguration) {
        self.init(hashKey: configuration.hashKey, encryptionKey: configuration.encryptionKey,
                  previousEncryptionKeys: configuration.previousEncryptionKeys)
    }

    /// HMAC-SHA256 of the normalised value (trimmed, upper-cased: `x` and `X` check digits match), as 64 hex digits.
    public func matchingHash(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(Self.normalised(value).utf8), using: SymmetricKey(data: hashKey))
        return mac.lowercaseHex
    }

    /// AES-256-GCM with a fresh random nonce: `v1:` + base64(nonce ‖ ciphertext ‖ tag). Two encryptions of the same
    /// value differ; use ``matchingHash(_:)`` to compare.
    public func encrypt(_ value: String) throws -> String {
        let box = try AES.GCM.seal(Data(value.utf8), using: SymmetricKey(data: encryptionKey))
        guard let combined = box.combined else { throw DecryptionError.malformed }
        return Self.ciphertextPrefix + combined.base64EncodedString()
    }

    /// The clear value of something ``encrypt(_:)`` produced with the current key or one of the previous keys
    /// (GCM's tag tells a wrong key: the next one is tried).
    public func decrypt(_ ciphertext: String) throws(DecryptionError) -> String {
        guard ciphertext.hasPrefix(Self.ciphertextPrefix),
            let combined = Data(base64Encoded: String(ciphertext.dropFirst(Self.ciphertextPrefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined)
        else { throw .malformed }
        for key in [encryptionKey] + previousEncryptionKeys {
            guard let clear = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else { continue }
            guard let text = String(data: clear, encoding: .utf8) else { throw .malformed }
            return text
        }
        throw .authenticationFailed
    }

    /// Why a ciphertext could not be decrypted.
    public enum DecryptionError: Error, Sendable, Equatable {
        /// Not in the `v1:` + base64 format.
        case malformed
        /// Wrong key, or the ciphertext was altered.
        case authenticationFailed
    }

    static func normalised(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }
}
