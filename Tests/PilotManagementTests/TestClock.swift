import Contracts
import Foundation
import ServiceHost
import Synchronization

/// A clock a test sets by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ day: String) { current = Mutex(TestClock.noon(day)) }

    var serviceClock: ServiceClock { ServiceClock { [self] in current.withLock { $0 } } }

    func set(_ day: String) { current.withLock { $0 = TestClock.noon(day) } }

    /// Noon in Asia/Shanghai on `day`.
    static func noon(_ day: String) -> Date {
        CalendarDate(day)!.startOfDay(in: ServiceClock.timeZone).addingTimeInterval(12 * 3600)
    }
}
