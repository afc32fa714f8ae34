/// An administrative division code (行政区划代码): GB/T 2260 six-digit codes for province, city and county, and
/// the statistical codes (统计用区划代码) that extend them to town (9 digits) and village (12 digits).
///
/// Structure is validated: the first two digits name a real province-level division; a province code ends
/// `0000`, a city code `00`; a county has a city part; a town extends a county (or a city without counties, such
/// as Dongguan 441900); a village extends a town. Twelve-digit codes whose tail is zeros are read as the
/// shorter code they stand for (`110101001000` is the town `110101001`), so `rawValue` is always the canonical
/// 6, 9 or 12 digits.
public struct DivisionCode: ValidatedIdentifier, Comparable {
    public enum Level: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
        case province, city, county, town, village

        private var depth: Int { Level.allCases.firstIndex(of: self)! }
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.depth < rhs.depth }
    }

    public let rawValue: String
    public let level: Level

    /// The first two digits of every province-level division: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71
    /// (Taiwan), 81 (Hong Kong), 82 (Macao).
    public static let provincePrefixes: Set<String> = Set(
        (Array(11...15) + Array(21...23) + Array(31...37) + Array(41...46) + Array(50...54) + Array(61...65) + [71, 81, 82])
            .map(String.init))

    public init(validating text: String) throws(IdentifierValidationError) {
        func failure(_ reason: IdentifierValidationError.Reason) -> IdentifierValidationError {
            IdentifierValidationError(kind: .divisionCode, reason: reason)
        }
        var digits = text
        guard [6, 9, 12].contains(digits.count) else {
            throw failure(.wrongLength(expected: "6, 9 or 12", actual: digits.count))
        }
        for (index, character) in digits.enumerated() where !(character.isASCII && character.isNumber) {
            throw failure(.invalidCharacter(character, position: index + 1))
        }
        if digits.count == 12, digits.hasSuffix("000") { digits.removeLast(3) }
        if digits.count == 9, digits.hasSuffix("000") { digits.removeLast(3) }
        let province = String(digits.prefix(2))
        guard Self.provincePrefixes.contains(province) else { throw failure(.unknownProvince(province)) }
        let characters = Array(digits)
        let cityPart = String(characters[2..<4])
        let countyPart = String(characters[4..<6])
        switch digits.count {
        case 6:
            if cityPart == "00" {
                guard countyPart == "00" else { throw failure(.invalidStructure("a county part needs a city part (digits 3–4 are 00)")) }
                level = .province
            } else {
                level = countyPart == "00" ? .city : .county
            }
        case 9:
            guard cityPart != "00" else { throw failure(.invalidStructure("a town needs a city or county (digits 3–6 are 0000)")) }
            level = .town
        default:
            guard cityPart != "00" else { throw failure(.invalidStructure("a village needs a city or county (digits 3–6 are 0000)")) }
            guard String(characters[6..<9]) != "000" else {
                throw failure(.invalidStructure("a village needs a town (digits 7–9 are 000)"))
            }
            level = .village
        }
        rawValue = digits
    }

    public init?(rawValue: String) {
        guard let code = try? Self(validating: rawValue) else { return nil }
        self = code
    }

    /// The province-level division this code lies in (`330106` → `330000`).
    public var province: DivisionCode {
        DivisionCode(trusted: String(rawValue.prefix(2)) + "0000", level: .province)
    }

    /// The division directly above this one, or nil for a province. A county directly under a province
    /// (`429004`, 仙桃) has the city code `429000` as its parent, as the statistical codes do.
    public var parent: DivisionCode? {
        switch level {
        case .province:
            return nil
        case .city:
            return province
        case .county:
            return DivisionCode(trusted: String(rawValue.prefix(4)) + "00", level: .city)
        case .town:
            let county = String(rawValue.prefix(6))
            return DivisionCode(trusted: county, level: county.hasSuffix("00") ? .city : .county)
        case .village:
            return DivisionCode(trusted: String(rawValue.prefix(9)), level: .town)
        }
    }

    /// Whether `other` is this division or lies inside it (a regional official of `330000` may act in `330106`).
    public func contains(_ other: DivisionCode) -> Bool {
        var current: DivisionCode? = other
        while let code = current {
            if code == self { return true }
            current = code.parent
        }
        return false
    }

    /// The 12-digit statistical form (`330106` → `330106000000`).
    public var twelveDigitForm: String { rawValue + String(repeating: "0", count: 12 - rawValue.count) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.twelveDigitForm < rhs.twelveDigitForm }

    private init(trusted rawValue: String, level: Level) {
        self.rawValue = rawValue
        self.level = level
    }
}
