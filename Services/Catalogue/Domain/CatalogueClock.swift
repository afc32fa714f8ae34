import Contracts
import Foundation

/// The catalogue's notion of now, so that tests can move time (certificate expiry, verification dates).
public struct CatalogueClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The wall clock.
    public static let system = CatalogueClock { Date() }

    /// The campaign's zone: a certificate's dates are days in Asia/Shanghai.
    public static let timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// Today in Asia/Shanghai.
    public var today: CalendarDate { CalendarDate(now(), in: Self.timeZone) }
}
