import Foundation

/// Keys protecting personal data (ID numbers, phone numbers).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `GBM_PII_HASH_KEY` | base64, at least 32 bytes: HMAC key of the matching hash | ``developmentHashKey`` (development only) |
/// | `GBM_PII_ENCRYPTION_KEY` | base64, exactly 32 bytes: AES-256-GCM key | ``developmentEncryptionKey`` (development only) |
/// | `GBM_PII_ENCRYPTION_KEYS_PREVIOUS` | comma-separated base64 keys of 32 bytes: earlier encryption keys, still read | none |
///
/// Changing the hash key makes every stored hash unmatchable. The encryption key rotates: the new key encrypts,
/// and what the earlier keys encrypted stays readable while they are listed in `GBM_PII_ENCRYPTION_KEYS_PREVIOUS`.
/// All must be the same for every replica of a service.
public struct PersonalDataConfiguration: Sendable, Equatable {
    /// DEVELOPMENT ONLY: public, so never protecting real data. 32 bytes.
    public static let developmentHashKey = Data("gbm-DEV-ONLY-pii-hash-key-public".utf8)
    /// DEVELOPMENT ONLY: public, so never protecting real data. 32 bytes.
    public static let developmentEncryptionKey = Data("gbm-DEV-ONLY-pii-encrypt-key-pub".utf8)

    public var hashKey: Data
    public var encryptionKey: Data
    /// Earlier encryption keys: data they encrypted is still decrypted; nothing new is encrypted with them.
    public var previousEncryptionKeys: [Data]

    public init(
        hashKey: Data = developmentHashKey, encryptionKey: Data = developmentEncryptionKey, previousEncryptionKeys: [Data] = []
    ) {
        self.hashKey = hashKey
        self.encryptionKey = encryptionKey
        self.previousEncryptionKeys = previousEncryptionKeys
    }

    /// Whether either key is a public development default.
    public var usesDevelopmentKeys: Bool {
        hashKey == Self.developmentHashKey || encryptionKey == Self.developmentEncryptionKey
    }

    /// Reads `GBM_PII_HASH_KEY`, `GBM_PII_ENCRYPTION_KEY` and `GBM_PII_ENCRYPTION_KEYS_PREVIOUS`.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self = try Self.read(environment)
    }

    private static func read(_ environment: EnvironmentReader) throws(ConfigurationError) -> PersonalDataConfiguration {
        let name = "GBM_PII_ENCRYPTION_KEYS_PREVIOUS"
        let hashKey = try environment.base64("GBM_PII_HASH_KEY", default: developmentHashKey, minimumByteCount: 32)
        let current = try environment.base64("GBM_PII_ENCRYPTION_KEY", default: developmentEncryptionKey, exactByteCount: 32)
        var previous: [Data] = []
        for (index, text) in (environment.string(name) ?? "").split(separator: ",").enumerated() {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let key = Data(base64Encoded: trimmed), key.count == 32 else {
                throw ConfigurationError(variable: name, reason: "entry \(index + 1) must be base64 of exactly 32 bytes")
            }
            guard key != current else {
                throw ConfigurationError(variable: name, reason: "entry \(index + 1) is the current GBM_PII_ENCRYPTION_KEY")
            }
            previous.append(key)
        }
        return PersonalDataConfiguration(hashKey: hashKey, encryptionKey: current, previousEncryptionKeys: previous)
    }
}
