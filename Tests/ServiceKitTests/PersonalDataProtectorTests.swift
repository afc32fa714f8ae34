import Foundation
import ServiceKit
import Testing

struct PersonalDataProtectorTests {
    static let protector = PersonalDataProtector(configuration: PersonalDataConfiguration())
    static let otherKeys = PersonalDataProtector(
        hashKey: Data(repeating: 7, count: 32),
        encryptionKey: Data(repeating: 9, count: 32)
    )

    @Test func matchingHashIsStablePerKeyAndDiffersAcrossKeys() {
        let id = "33010619900101123X"
        let hash = Self.protector.matchingHash(id)
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { $0.isHexDigit })
        #expect(Self.protector.matchingHash(id) == hash)
        #expect(Self.protector.matchingHash(" 33010619900101123x ") == hash)
        #expect(Self.otherKeys.matchingHash(id) != hash)
        #expect(Self.protector.matchingHash("330106199001011234") != hash)
    }

    @Test func encryptionRoundTripsAndUsesAFreshNonce() throws {
        let phone = "13812345678"
        let first = try Self.protector.encrypt(phone)
        let second = try Self.protector.encrypt(phone)
        #expect(first.hasPrefix("v1:"))
        #expect(first != second)
        #expect(!first.contains(phone))
        #expect(try Self.protector.decrypt(first) == phone)
        #expect(throws: PersonalDataProtector.DecryptionError.authenticationFailed) { try Self.otherKeys.decrypt(first) }
        #expect(throws: PersonalDataProtector.DecryptionError.malformed) { try Self.protector.decrypt("13812345678") }
    }

    @Test func masksKeepOnlyTheAllowedDigits() {
        #expect(PersonalDataProtector.maskPhone("13812345678") == "138****5678")
        #expect(PersonalDataProtector.maskIDNumber("33010619900101123x") == "330106********123X")
        #expect(PersonalDataProtector.maskIDNumber("330106900101123") == "330106*****1123")
        #expect(PersonalDataProtector.maskPhone("12345") == "****5")
    }

    @Test func keysComeFromTheEnvironmentAndBadOnesNameTheVariable() throws {
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        let configured = try PersonalDataConfiguration(environment: EnvironmentReader([
            "GBM_PII_HASH_KEY": key, "GBM_PII_ENCRYPTION_KEY": key,
        ]))
        #expect(configured.hashKey == Data(repeating: 1, count: 32))
        #expect(!configured.usesDevelopmentKeys)
        #expect(try PersonalDataConfiguration(environment: EnvironmentReader([:])).usesDevelopmentKeys)
        #expect(throws: ConfigurationError.self) {
            try PersonalDataConfiguration(environment: EnvironmentReader(["GBM_PII_ENCRYPTION_KEY": "c2hvcnQ="]))
        }
        do {
            _ = try PersonalDataConfiguration(environment: EnvironmentReader(["GBM_PII_HASH_KEY": "not base64!"]))
            Issue.record("accepted a non-base64 key")
        } catch {
            #expect(error.variable == "GBM_PII_HASH_KEY")
        }
    }

    /// Rotating the encryption key: the new key encrypts, what the old one encrypted stays readable while it is
    /// listed as previous, and nothing is readable with a key that was never configured.
    @Test func aRotatedEncryptionKeyStillReadsWhatThePreviousKeysEncrypted() throws {
        let old = Data(repeating: 3, count: 32), new = Data(repeating: 4, count: 32), hash = Data(repeating: 5, count: 32)
        let before = PersonalDataProtector(hashKey: hash, encryptionKey: old)
        let sealedBefore = try before.encrypt("13812345678")
        let rotated = try PersonalDataProtector(configuration: PersonalDataConfiguration(environment: EnvironmentReader([
            "GBM_PII_HASH_KEY": hash.base64EncodedString(), "GBM_PII_ENCRYPTION_KEY": new.base64EncodedString(),
            "GBM_PII_ENCRYPTION_KEYS_PREVIOUS": " " + old.base64EncodedString() + " ",
        ])))
        let sealedAfter = try rotated.encrypt("13912345678")
        #expect(try rotated.decrypt(sealedBefore) == "13812345678")
        #expect(try rotated.decrypt(sealedAfter) == "13912345678")
        #expect(throws: PersonalDataProtector.DecryptionError.authenticationFailed) { try before.decrypt(sealedAfter) }
        let withoutPrevious = PersonalDataProtector(hashKey: hash, encryptionKey: new)
        #expect(throws: PersonalDataProtector.DecryptionError.authenticationFailed) { try withoutPrevious.decrypt(sealedBefore) }
        #expect(rotated.matchingHash("X") == before.matchingHash("X"), "the hash key does not rotate with it")
        for bad in ["c2hvcnQ=", new.base64EncodedString(), "not base64!"] {
            do {
                _ = try PersonalDataConfiguration(environment: EnvironmentReader([
                    "GBM_PII_ENCRYPTION_KEY": new.base64EncodedString(), "GBM_PII_ENCRYPTION_KEYS_PREVIOUS": bad]))
                Issue.record("accepted \(bad) as a previous key")
            } catch {
                #expect(error.variable == "GBM_PII_ENCRYPTION_KEYS_PREVIOUS")
            }
        }
    }
}
