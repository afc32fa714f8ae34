import Contracts
import Foundation

/// Where a service reads the time: the wall clock in production, a clock the test sets in tests.
///
/// Every scheduler, expiry sweep, "today" and event time of a service reads this one clock, so a test can move a
/// whole service through the campaign year.
public struct ServiceClock: Sendable {
    /// The current instant.
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The wall clock.
    public static let system = ServiceClock { Date() }

    /// The campaign's zone: dates, deadlines and working days are days in Asia/Shanghai.
    public static var timeZone: TimeZone { WorkingDayCalendar.timeZone }

    /// Today in Asia/Shanghai.
    public var today: CalendarDate { CalendarDate(now(), in: Self.timeZone) }
}
