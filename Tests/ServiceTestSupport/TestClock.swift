import Contracts
import Foundation
import ServiceHost
import Synchronization

/// A clock a test sets by hand, to a day: noon in Asia/Shanghai on it.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ day: String) { current = Mutex(TestClock.noon(day)) }

    /// The clock the service is given.
    public var serviceClock: ServiceClock { ServiceClock { [self] in current.withLock { $0 } } }
    public var now: Date { current.withLock { $0 } }

    public func set(_ day: String) { current.withLock { $0 = TestClock.noon(day) } }

    /// Noon in Asia/Shanghai on `day` (`yyyy-MM-dd`).
    public static func noon(_ day: String) -> Date {
        CalendarDate(day)!.startOfDay(in: ServiceClock.timeZone).addingTimeInterval(12 * 3600)
    }
}
