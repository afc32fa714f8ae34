import Foundation

/// Keys protecting personal data (ID numbers, phone numbers).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `GBM_PII_HASH_KEY` | base64, at least 32 bytes: HMAC key of the matching hash | ``developmentHashKey`` (development only) |
/// | `GBM_PII_ENCRYPTION_KEY` | base64, exactly 32 bytes: AES-256-GCM key | ``developmentEncryptionKey`` (development only) |
///
/// Changing the hash key makes every stored hash unmatchable; changing the encryption key makes stored ciphertext
/// unreadable. Both must be the same for every replica of a service.
public struct PersonalDataConfiguration: Sendable, Equatable {
    /// DEVELOPMENT ONLY: public, so never protecting real data. 32 bytes.
    public static let developmentHashKey = Data("gbm-DEV-ONLY-pii-hash-key-public".utf8)
    /// DEVELOPMENT ONLY: public, so never protecting real data. 32 bytes.
    public static let developmentEncryptionKey = Data("gbm-DEV-ONLY-pii-encrypt-key-pub".utf8)

    public var hashKey: Data
    public var encryptionKey: Data

    public init(hashKey: Data = developmentHashKey, encryptionKey: Data = developmentEncryptionKey) {
        self.hashKey = hashKey
        self.encryptionKey = encryptionKey
    }

    /// Whether either key is a public development default.
    public var usesDevelopmentKeys: Bool {
        hashKey == Self.developmentHashKey || encryptionKey == Self.developmentEncryptionKey
    }

    /// Reads `GBM_PII_HASH_KEY` and `GBM_PII_ENCRYPTION_KEY`.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.init(
            hashKey: try environment.base64("GBM_PII_HASH_KEY", default: Self.developmentHashKey, minimumByteCount: 32),
            encryptionKey: try environment.base64("GBM_PII_ENCRYPTION_KEY", default: Self.developmentEncryptionKey, exactByteCount: 32)
        )
    }
}
