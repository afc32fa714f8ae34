import Contracts
import Foundation

/// Activities as an iCalendar (RFC 5545) feed that calendar applications can subscribe to.
struct ICalendarFeed {
    var activities: [ActivityView]
    /// When the feed was produced (DTSTAMP).
    var generatedAt: Date

    /// The `text/calendar` body, CRLF line endings, long lines folded at 75 octets.
    var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//GBM//pilot-management//ZH", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:绿色建材下乡活动", "X-WR-TIMEZONE:Asia/Shanghai",
        ]
        let stamp = Self.timestamp(generatedAt)
        for activity in activities {
            guard let startsOn = CalendarDate(activity.startsOn), let endsOn = CalendarDate(activity.endsOn) else { continue }
            let kind = PilotActivityKind(rawValue: activity.type)
            lines += [
                "BEGIN:VEVENT",
                "UID:\(activity.id)@pilot.gbm",
                "DTSTAMP:\(stamp)",
                "DTSTART;VALUE=DATE:\(Self.basic(startsOn))",
                "DTEND;VALUE=DATE:\(Self.basic(endsOn.adding(days: 1)))",
                "SUMMARY:\(Self.escape(activity.title))",
                "DESCRIPTION:\(Self.escape("\(kind?.chineseName ?? activity.type) · \(activity.regionName) · \(activity.level) \(activity.placeCode)"))",
                "LOCATION:\(Self.escape(activity.placeCode))",
                "CATEGORIES:\(activity.type)",
                "STATUS:\(activity.status == "cancelled" ? "CANCELLED" : "CONFIRMED")",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func basic(_ date: CalendarDate) -> String {
        date.description.replacingOccurrences(of: "-", with: "")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// RFC 5545 §3.3.11 text escaping.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// RFC 5545 §3.1 folding: lines longer than 75 octets continue on lines starting with a space, never
    /// splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var result = ""
        var current = 0
        for character in line {
            let size = String(character).utf8.count
            if current + size > 75 {
                result += "\r\n "
                current = 1
            }
            result.append(character)
            current += size
        }
        return result
    }
}
