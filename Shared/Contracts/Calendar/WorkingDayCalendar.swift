import Foundation

/// Which days are working days in mainland China, for deadlines counted in working days (工作日): the SAMR
/// complaint rules (accept or reject within 7 working days, mediation within 45 working days of acceptance).
///
/// A day is a working day when it is a make-up working day (调休上班), or when it is a Monday–Friday that is not a
/// public holiday. Days are `CalendarDate`s in Asia/Shanghai.
///
/// **Counting rule**: the day the period starts from is not counted (as the Civil Code, art. 201, counts periods
/// in days). `addingWorkingDays(7, to: receivedOn)` is the seventh working day *after* the day of receipt, and
/// `workingDays(from:to:)` counts the working days in `(from, to]`, so the two agree.
public struct WorkingDayCalendar: Sendable, Hashable {
    /// Asia/Shanghai, the zone every campaign date is in.
    public static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// Public holidays that fall on days that would otherwise be working days (or on weekends: harmless).
    public let holidays: Set<CalendarDate>
    /// Saturdays and Sundays that are working days in exchange (调休).
    public let makeUpWorkdays: Set<CalendarDate>

    public init(holidays: Set<CalendarDate>, makeUpWorkdays: Set<CalendarDate>) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
    }

    /// The file shape of `seeds/calendar/<year>.json`: `{"year":2023,"holidays":[...],"workdays":[...]}`.
    public struct YearFile: Codable, Sendable, Hashable {
        public var year: Int
        public var holidays: [CalendarDate]
        public var workdays: [CalendarDate]

        public init(year: Int, holidays: [CalendarDate], workdays: [CalendarDate]) {
            self.year = year
            self.holidays = holidays
            self.workdays = workdays
        }
    }

    /// Why a calendar file cannot be used.
    public struct LoadingError: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { "working-day calendar: \(reason)" }
    }

    /// Reads one year's calendar in the `YearFile` shape; every date must lie in the stated year.
    public init(jsonData data: Data) throws(LoadingError) {
        let file: YearFile
        do {
            file = try JSONDecoder().decode(YearFile.self, from: data)
        } catch {
            throw LoadingError(reason: "not a {\"year\",\"holidays\",\"workdays\"} document: \(error)")
        }
        try self.init(years: [file])
    }

    /// Reads a calendar file (`seeds/calendar/2023.json`).
    public init(contentsOf url: URL) throws(LoadingError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadingError(reason: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(jsonData: data)
    }

    /// A calendar covering several years.
    public init(years: [YearFile]) throws(LoadingError) {
        var holidays = Set<CalendarDate>()
        var workdays = Set<CalendarDate>()
        for file in years {
            for day in file.holidays + file.workdays where day.year != file.year && !(day.month == 12 && day.year == file.year - 1) {
                throw LoadingError(reason: "\(day) is listed in the calendar of \(file.year)")
            }
            for day in file.workdays where !day.isWeekend {
                throw LoadingError(reason: "make-up working day \(day) is not a Saturday or Sunday")
            }
            holidays.formUnion(file.holidays)
            workdays.formUnion(file.workdays)
        }
        if let clash = holidays.intersection(workdays).min() {
            throw LoadingError(reason: "\(clash) is both a holiday and a make-up working day")
        }
        self.init(holidays: holidays, makeUpWorkdays: workdays)
    }

    /// This calendar as a year file (for writing `seeds/calendar/<year>.json`).
    public func yearFile(_ year: Int) -> YearFile {
        YearFile(
            year: year,
            holidays: holidays.filter { $0.year == year || ($0.year == year - 1 && $0.month == 12) }.sorted(),
            workdays: makeUpWorkdays.filter { $0.year == year }.sorted())
    }

    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        if makeUpWorkdays.contains(day) { return true }
        return !day.isWeekend && !holidays.contains(day)
    }

    /// The `count`-th working day after `day` (`day` itself not counted); before it for a negative count;
    /// `day` itself for zero.
    public func addingWorkingDays(_ count: Int, to day: CalendarDate) -> CalendarDate {
        var remaining = abs(count)
        let step = count < 0 ? -1 : 1
        var current = day
        while remaining > 0 {
            current = current.adding(days: step)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The number of working days in `(start, end]`; negative (the count in `(end, start]`) when `end` is
    /// earlier.
    public func workingDays(from start: CalendarDate, to end: CalendarDate) -> Int {
        if end < start { return -workingDays(from: end, to: start) }
        var count = 0
        var current = start
        while current < end {
            current = current.adding(days: 1)
            if isWorkingDay(current) { count += 1 }
        }
        return count
    }

    /// The day `instant` falls on in Asia/Shanghai.
    public static func day(of instant: Date) -> CalendarDate {
        CalendarDate(instant, in: timeZone)
    }
}
