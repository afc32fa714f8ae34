import Foundation

/// RFC 3339 timestamps as the contracts write them: UTC, millisecond precision (`2023-05-01T08:00:00.000Z`).
///
/// Written by hand rather than with `ISO8601DateFormatter` so that formatting is a pure function, and so that a
/// date read back from its text is bit-for-bit the date that was written (both sides go through whole
/// milliseconds).
public enum InternetDateTime {
    /// The instant rounded to the nearest millisecond: the precision the wire keeps.
    public static func roundedToMilliseconds(_ instant: Date) -> Date {
        Self.date(fromMilliseconds: milliseconds(of: instant))
    }

    /// `2023-05-01T08:00:00.000Z`.
    public static func string(from date: Date) -> String {
        let total = milliseconds(of: date)
        let millis = Int(((total % 1000) + 1000) % 1000)
        let seconds = (total - Int64(millis)) / 1000
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let day = CalendarDate(daysSinceEpoch: days)
        return "\(day)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    /// Parses an RFC 3339 date-time (`T` or `t`, fractional seconds optional, `Z` or a `±hh:mm` offset).
    /// Digits after the milliseconds are rounded away.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == 0x2D, let month = number(5..<7), bytes[7] == 0x2D,
              let dayOfMonth = number(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), bytes[13] == 0x3A, let minute = number(14..<16), bytes[16] == 0x3A,
              let second = number(17..<19),
              let day = CalendarDate(year: year, month: month, day: dayOfMonth),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fractionMillis = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start, let fraction = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
            else { return nil }
            fractionMillis = fraction * 1000
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let hours = number(index + 1..<index + 3), bytes[index + 3] == 0x3A,
                  let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Self.date(fromMilliseconds: seconds * 1000 + Int64(fractionMillis.rounded()))
    }

    static func milliseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(fromMilliseconds milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
