import Contracts
import Foundation
import Testing

@Suite struct UnifiedSocialCreditCodeTests {
    @Test(arguments: ["91110000600037341L", "91330100MA2B7K3L5R", "91370200MA3C4D5E6X", "92430102MA4L7N8Q1P", "91350100M000100Y43"])
    func acceptsValidCodes(code: String) throws {
        #expect(try UnifiedSocialCreditCode(validating: code).rawValue == code)
    }

    /// `Z` is not in the code's alphabet at all (the right check character here would be `3`).
    @Test func rejectsTheInvalidExampleCode() {
        #expect(throws: IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .invalidCharacter("Z", position: 18))) {
            try UnifiedSocialCreditCode(validating: "91350100M000100Y4Z")
        }
        #expect(UnifiedSocialCreditCode(rawValue: "91350100M000100Y4Z") == nil)
    }

    @Test func rejectsAWrongCheckCharacterNamingTheExpectedOne() {
        #expect(throws: IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .checkCharacterMismatch(expected: "L", actual: "M"))) {
            try UnifiedSocialCreditCode(validating: "91110000600037341M")
        }
        #expect(throws: IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .checkCharacterMismatch(expected: "3", actual: "4"))) {
            try UnifiedSocialCreditCode(validating: "91350100M000100Y44")
        }
    }

    @Test func rejectsWrongLengthAndForbiddenCharacters() {
        #expect(throws: IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .wrongLength(expected: "18", actual: 17))) {
            try UnifiedSocialCreditCode(validating: "91110000600037341")
        }
        #expect(throws: IdentifierValidationError(kind: .unifiedSocialCreditCode, reason: .invalidCharacter("I", position: 9))) {
            try UnifiedSocialCreditCode(validating: "91110000I00037341L")
        }
    }

    @Test func computesTheCheckCharacterForSeedData() throws {
        #expect(try UnifiedSocialCreditCode.checkCharacter(forFirst17: "91110000600037341") == "L")
        #expect(try UnifiedSocialCreditCode.checkCharacter(forFirst17: "91350100M000100Y4") == "3")
    }

    @Test func lowerCaseIsNormalisedAndRegionExtracted() throws {
        let code = try UnifiedSocialCreditCode(validating: "91110000600037341l")
        #expect(code.rawValue == "91110000600037341L")
        #expect(code.registrationRegion == "110000")
    }

    @Test func decodingValidatesToo() throws {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UnifiedSocialCreditCode].self, from: Data(#"["91350100M000100Y4Z"]"#.utf8)) }
        #expect(try JSONDecoder().decode([UnifiedSocialCreditCode].self, from: Data(#"["91110000600037341L"]"#.utf8)).count == 1)
    }
}

@Suite struct ResidentIdentityNumberTests {
    @Test(arguments: ["11010519491231002X", "440524188001010014", "330106199003071236", "11010519491231002x"])
    func acceptsValidNumbers(number: String) throws {
        #expect(try ResidentIdentityNumber(validating: number).rawValue == number.uppercased())
    }

    @Test func rejectsAWrongCheckCharacter() {
        #expect(throws: IdentifierValidationError(kind: .residentIdentityNumber, reason: .checkCharacterMismatch(expected: "X", actual: "1"))) {
            try ResidentIdentityNumber(validating: "110105194912310021")
        }
    }

    @Test func rejectsAnImpossibleBirthDateOrAnUnknownProvince() throws {
        let february30 = "11010519490230002"
        let badDate = february30 + String(try ResidentIdentityNumber.checkCharacter(forFirst17: february30))
        #expect(throws: IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidBirthDate)) {
            try ResidentIdentityNumber(validating: badDate)
        }
        let future = "11010521000101002"
        #expect(throws: IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidBirthDate)) {
            try ResidentIdentityNumber(validating: future + String(try ResidentIdentityNumber.checkCharacter(forFirst17: future)))
        }
        let province99 = "99010519491231002"
        #expect(throws: IdentifierValidationError(kind: .residentIdentityNumber, reason: .unknownProvince("99"))) {
            try ResidentIdentityNumber(validating: province99 + String(try ResidentIdentityNumber.checkCharacter(forFirst17: province99)))
        }
        #expect(throws: IdentifierValidationError(kind: .residentIdentityNumber, reason: .invalidCharacter("A", position: 5))) {
            try ResidentIdentityNumber(validating: "1101A519491231002X")
        }
    }

    @Test func exposesBirthDateAndMasksItsDescription() throws {
        let number = try ResidentIdentityNumber(validating: "11010519491231002X")
        #expect(number.birthDate == CalendarDate("1949-12-31"))
        #expect(number.regionPrefix == "110105")
        #expect("\(number)" == "110***********002X")
        let error = IdentifierValidationError(kind: .residentIdentityNumber, reason: .checkCharacterMismatch(expected: "X", actual: "1"))
        #expect(!error.description.contains("1101051949"))
        #expect(error.code == "check-character-mismatch")
    }
}

@Suite struct DivisionCodeTests {
    @Test func readsLevelsAndParents() throws {
        let zhejiang = try DivisionCode(validating: "330000")
        let hangzhou = try DivisionCode(validating: "330100")
        let xihu = try DivisionCode(validating: "330106")
        let town = try DivisionCode(validating: "330106001")
        let village = try DivisionCode(validating: "330106001001")
        #expect([zhejiang, hangzhou, xihu, town, village].map(\.level) == [.province, .city, .county, .town, .village])
        #expect(village.parent == town && town.parent == xihu && xihu.parent == hangzhou && hangzhou.parent == zhejiang)
        #expect(zhejiang.parent == nil)
        #expect(village.province == zhejiang)
        #expect(zhejiang.contains(village) && hangzhou.contains(town) && !xihu.contains(hangzhou))
        #expect(village.twelveDigitForm == "330106001001")
    }

    @Test func twelveDigitFormsOfHigherLevelsAreCanonicalised() throws {
        #expect(try DivisionCode(validating: "330106001000").rawValue == "330106001")
        #expect(try DivisionCode(validating: "330106000000") == DivisionCode(validating: "330106"))
        #expect(try DivisionCode(validating: "330000000000").level == .province)
    }

    @Test func townsDirectlyUnderACityWithoutCounties() throws {
        let dongguanTown = try DivisionCode(validating: "441900003")
        #expect(dongguanTown.level == .town)
        #expect(dongguanTown.parent == DivisionCode(rawValue: "441900"))
    }

    @Test(arguments: ["110000", "120000", "150000", "210000", "230000", "310000", "370000", "410000", "460000", "500000", "540000", "610000", "650000", "710000", "810000", "820000"])
    func acceptsEveryProvincePrefixRange(code: String) {
        #expect(DivisionCode(rawValue: code)?.level == .province)
    }

    @Test(arguments: ["160000", "240000", "380000", "470000", "550000", "660000", "720000", "830000", "000000", "990000"])
    func rejectsUnknownProvinces(code: String) {
        #expect(throws: IdentifierValidationError(kind: .divisionCode, reason: .unknownProvince(String(code.prefix(2))))) {
            try DivisionCode(validating: code)
        }
    }

    @Test func rejectsMalformedCodes() {
        #expect(throws: IdentifierValidationError(kind: .divisionCode, reason: .wrongLength(expected: "6, 9 or 12", actual: 7))) {
            try DivisionCode(validating: "3301061")
        }
        #expect(throws: IdentifierValidationError(kind: .divisionCode, reason: .invalidCharacter("A", position: 6))) {
            try DivisionCode(validating: "33010A")
        }
        #expect(throws: IdentifierValidationError.self) { try DivisionCode(validating: "330006") }
        #expect(throws: IdentifierValidationError.self) { try DivisionCode(validating: "330000001") }
        #expect(throws: IdentifierValidationError.self) { try DivisionCode(validating: "330106000001") }
    }
}

@Suite struct ConsumerRefTests {
    @Test func acceptsOnlyLowerCaseHexOf64Digits() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let reference = try #require(ConsumerRef(hashBytes: bytes))
        #expect(reference.rawValue.count == 64)
        #expect(ConsumerRef(rawValue: reference.rawValue) == reference)
        #expect(ConsumerRef(rawValue: "13800000000") == nil)
        #expect(ConsumerRef(rawValue: reference.rawValue.uppercased()) == nil)
    }
}

@Suite struct CertificateNumberTests {
    @Test func acceptsNumbersAndReadsLowerCaseAsUpperCase() throws {
        #expect(try CertificateNumber(validating: "CGBM-2023-ZJ-000871").rawValue == "CGBM-2023-ZJ-000871")
        #expect(try CertificateNumber(validating: "cgbm-2023-zj-000871").rawValue == "CGBM-2023-ZJ-000871")
    }

    @Test func rejectsWithTheReasonAndPosition() {
        #expect(throws: IdentifierValidationError(kind: .certificateNumber, reason: .wrongLength(expected: "4 to 40", actual: 3))) {
            try CertificateNumber(validating: "ABC")
        }
        #expect(throws: IdentifierValidationError(kind: .certificateNumber, reason: .invalidCharacter("-", position: 1))) {
            try CertificateNumber(validating: "-ABC")
        }
        #expect(throws: IdentifierValidationError(kind: .certificateNumber, reason: .invalidCharacter("证", position: 5))) {
            try CertificateNumber(validating: "CGBM证123")
        }
        #expect(throws: IdentifierValidationError(kind: .certificateNumber, reason: .invalidCharacter("\u{0}", position: 5))) {
            try CertificateNumber(validating: "CGBM\u{0}123")
        }
    }
}

/// Every identifier decodes through the same check as its initializer, and encodes as its canonical text.
@Suite struct ValidatedIdentifierCodingTests {
    struct Carrier: Codable, Equatable {
        var certificate: CertificateNumber
        var region: DivisionCode
        var enterprise: UnifiedSocialCreditCode
    }

    @Test func decodesValidTextAndEncodesItCanonically() throws {
        let json = #"{"certificate":"cgbm-2023-zj-000871","enterprise":"91110000600037341L","region":"110101001000"}"#
        let carrier = try JSONDecoder().decode(Carrier.self, from: Data(json.utf8))
        #expect(carrier.certificate.rawValue == "CGBM-2023-ZJ-000871")
        #expect(carrier.region.rawValue == "110101001")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(carrier), as: UTF8.self)
        #expect(text == #"{"certificate":"CGBM-2023-ZJ-000871","enterprise":"91110000600037341L","region":"110101001"}"#)
    }

    @Test func refusesToDecodeAWrongCheckCharacterSayingWhy() throws {
        let json = #"{"certificate":"CGBM-1","enterprise":"91110000600037341M","region":"330000"}"#
        do {
            _ = try JSONDecoder().decode(Carrier.self, from: Data(json.utf8))
            Issue.record("a mistyped credit code decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("check character is 'M' but should be 'L'"))
        }
    }
}
