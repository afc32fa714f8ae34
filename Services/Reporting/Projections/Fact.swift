import Contracts
import Foundation

/// One signed amount of a metric, in a dimension and a division, on a day: what an event contributes to the
/// projections. An event's facts are a pure function of its payload, so applying it again (or late) writes the same.
struct Fact: Sendable, Equatable {
    var metric: Metric
    var dimension: String
    /// A division code, or '' for a fact that counts only nationally.
    var regionCode: String
    var day: CalendarDate
    var value: Int64

    init(_ metric: Metric, _ dimension: String = "", region: String, day: CalendarDate, value: Int64 = 1) {
        self.metric = metric
        self.dimension = dimension
        self.regionCode = region
        self.day = day
        self.value = value
    }

    init(_ metric: Metric, _ dimension: String = "", region: DivisionCode, day: CalendarDate, value: Int64 = 1) {
        self.init(metric, dimension, region: region.rawValue, day: day, value: value)
    }

    init(_ metric: Metric, _ dimension: String = "", region: DivisionCode, at instant: Date, value: Int64 = 1) {
        self.init(metric, dimension, region: region.rawValue, day: WorkingDayCalendar.day(of: instant), value: value)
    }

    /// The registration division of a unified social credit code (characters 3–8), which places a certificate
    /// holder; '' when those characters are no division code.
    static func region(of creditCode: UnifiedSocialCreditCode) -> String {
        let digits = String(creditCode.rawValue.dropFirst(2).prefix(6))
        return DivisionCode(rawValue: digits)?.rawValue ?? ""
    }
}
