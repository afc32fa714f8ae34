import Foundation

/// A Swift value that can be a bound parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The parameter's type OID, so the server need not guess.
    static var postgresType: UInt32 { get }
    /// The text form; `nil` is SQL NULL.
    var postgresText: String? { get }
}

/// A Swift value a result column can be decoded into, from PostgreSQL's text format.
public protocol PostgresDecodable {
    init(postgresText text: String) throws(PostgresError)
}

/// Type OIDs of the types the project uses.
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let float8: UInt32 = 701
    public static let date: UInt32 = 1082
    public static let timestamptz: UInt32 = 1184
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802
    public static let textArray: UInt32 = 1009
    public static let int8Array: UInt32 = 1016
    public static let int4Array: UInt32 = 1007
    public static let uuidArray: UInt32 = 2951
    public static let timestamptzArray: UInt32 = 1185
    public static let jsonbArray: UInt32 = 3807
    public static let byteaArray: UInt32 = 1001
}

func decodingError(_ type: Any.Type, _ text: String) -> PostgresError {
    PostgresError(kind: .decoding, message: "cannot decode \(type) from \(text.prefix(64).debugDescription)")
}

extension String: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.text }
    public var postgresText: String? { self }
    public init(postgresText text: String) { self = text }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = Int64(text) else { throw decodingError(Int64.self, text) }
        self = v
    }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = Int(text) else { throw decodingError(Int.self, text) }
        self = v
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.int4 }
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = Int32(text) else { throw decodingError(Int32.self, text) }
        self = v
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.bool }
    public var postgresText: String? { self ? "t" : "f" }
    public init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw decodingError(Bool.self, text)
        }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.float8 }
    public var postgresText: String? { String(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = Double(text) else { throw decodingError(Double.self, text) }
        self = v
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.uuid }
    public var postgresText: String? { uuidString.lowercased() }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = UUID(uuidString: text) else { throw decodingError(UUID.self, text) }
        self = v
    }
}

/// `timestamptz`, exchanged as UTC text with microseconds (the connection sets TimeZone=UTC, DateStyle=ISO).
extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.timestamptz }
    public var postgresText: String? { PostgresTimestamp.format(self) }
    public init(postgresText text: String) throws(PostgresError) {
        guard let v = PostgresTimestamp.parse(text) else { throw decodingError(Date.self, text) }
        self = v
    }
}

/// `bytea`, exchanged in hex form.
extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: UInt32 { Element.arrayType }
    public var postgresText: String? {
        "{" + map { $0.arrayElementText }.joined(separator: ",") + "}"
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement & PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let items = PostgresArrayLiteral.parse(text) else { throw decodingError([Element].self, text) }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let item else { throw decodingError([Element].self, text) }
            result.append(try Element(postgresText: item))
        }
        self = result
    }
}

/// A type that can be an element of a one-dimensional PostgreSQL array parameter.
public protocol PostgresArrayElement: Sendable {
    static var arrayType: UInt32 { get }
    var arrayElementText: String { get }
}

extension String: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.textArray }
    public var arrayElementText: String { PostgresArrayLiteral.quote(self) }
}

extension Int64: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.int8Array }
    public var arrayElementText: String { String(self) }
}

extension Int: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.int8Array }
    public var arrayElementText: String { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.int4Array }
    public var arrayElementText: String { String(self) }
}

extension UUID: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.uuidArray }
    public var arrayElementText: String { uuidString.lowercased() }
}

extension Date: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.timestamptzArray }
    public var arrayElementText: String { PostgresArrayLiteral.quote(PostgresTimestamp.format(self)) }
}

extension PostgresBytes: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.byteaArray }
    public var arrayElementText: String { PostgresArrayLiteral.quote(postgresText ?? "") }
}

extension PostgresJSONB: PostgresArrayElement {
    public static var arrayType: UInt32 { PostgresType.jsonbArray }
    public var arrayElementText: String { PostgresArrayLiteral.quote(text) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: UInt32 { Wrapped.postgresType }
    public var postgresText: String? { self?.postgresText }
}

/// `bytea` contents.
public struct PostgresBytes: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static var postgresType: UInt32 { PostgresType.bytea }
    public var postgresText: String? {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw decodingError(PostgresBytes.self, text)
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { throw decodingError(PostgresBytes.self, text) }
            result.append(hi << 4 | lo)
            i += 2
        }
        self.bytes = result
    }
}

/// A `jsonb` value: JSON text, usually made from a `Codable` value.
public struct PostgresJSONB: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    public var text: String

    public init(text: String) { self.text = text }

    public init<Value: Encodable>(_ value: Value, encoder: JSONEncoder = JSONEncoder()) throws {
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }

    public static var postgresType: UInt32 { PostgresType.jsonb }
    public var postgresText: String? { text }
    public init(postgresText text: String) { self.text = text }
}

/// A calendar `date` (no time of day, no zone), as `YYYY-MM-DD`.
public struct PostgresDate: Sendable, Hashable, Comparable, PostgresEncodable, PostgresDecodable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static var postgresType: UInt32 { PostgresType.date }
    public var postgresText: String? {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw decodingError(PostgresDate.self, text)
        }
        self.init(year: y, month: m, day: d)
    }

    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Text form of `timestamptz` in UTC, computed without Foundation formatters (they are slow and locale-bound).
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 {
            secOfDay += 86_400
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        // Digits written by hand: `String(format:)` was a visible share of a request's CPU time.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            if rest >= divisor * 10 {
                bytes.append(contentsOf: String(rest).utf8)
                return
            }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        if y < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        digits(abs(y), 4)
        bytes.append(UInt8(ascii: "-"))
        digits(m, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(d, 2)
        bytes.append(UInt8(ascii: " "))
        digits(secOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits((secOfDay % 3600) / 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secOfDay % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(micros, 6)
        bytes.append(contentsOf: "+00".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]` (also with `T`).
    static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= u.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                let c = u[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard u.count >= 19, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
            let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2)
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                if digits < 6 {
                    micros = micros * 10 + Int64(u[i] - 48)
                    digits += 1
                }
                i += 1
            }
            while digits < 6 {
                micros *= 10
                digits += 1
            }
        }
        var offsetSeconds: Int64 = 0
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            let sign: Int64 = u[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = num(i + 1, 2) else { return nil }
            var om: Int64 = 0
            if i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"), let m = num(i + 4, 2) { om = m }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        let days = daysFromCivil(y, mo, d)
        let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// PostgreSQL's one-dimensional array literal `{a,"b c",NULL}`.
enum PostgresArrayLiteral {
    /// `"value"` with `"` and `\` escaped; works on UTF-8 bytes (outbox payloads are kilobytes of JSON).
    static func quote(_ value: String) -> String {
        var value = value
        return value.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 2)
            out.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func parse(_ text: String) -> [String?]? {
        var chars = Array(text.unicodeScalars)
        // Arrays with explicit bounds look like "[0:1]={...}"; drop the bounds.
        if let eq = chars.firstIndex(of: "="), chars.first == "[" { chars = Array(chars[(eq + 1)...]) }
        guard chars.first == "{", chars.last == "}" else { return nil }
        var items: [String?] = []
        var i = 1
        let end = chars.count - 1
        if i == end { return [] }
        while i <= end {
            if chars[i] == "\"" {
                var item = String.UnicodeScalarView()
                i += 1
                while i < end, chars[i] != "\"" {
                    if chars[i] == "\\" { i += 1 }
                    item.append(chars[i])
                    i += 1
                }
                i += 1  // closing quote
                items.append(String(item))
            } else {
                var item = String.UnicodeScalarView()
                while i < end, chars[i] != "," {
                    item.append(chars[i])
                    i += 1
                }
                let s = String(item)
                items.append(s == "NULL" ? nil : s)
            }
            // at ',' or '}'
            i += 1
        }
        return items
    }
}
