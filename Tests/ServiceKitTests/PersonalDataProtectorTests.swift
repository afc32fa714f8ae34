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
}
