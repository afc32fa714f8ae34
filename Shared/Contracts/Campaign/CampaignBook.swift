import Foundation

/// The campaign years a service knows, and the working-day calendar of all of them: read from a directory with
/// `campaign/<year>.json` (``CampaignNotice``) and `calendar/<year>.json` (``WorkingDayCalendar/YearFile``), as
/// `seeds/` holds them.
///
/// Every notice needs its year's calendar: a deadline counted in working days must not silently skip a year's
/// holidays. Calendars without a notice are kept too (a complaint received in December counts into January).
public struct CampaignBook: Sendable, Hashable {
    /// The notices by year.
    public let notices: [Int: CampaignNotice]
    /// The working days of every year with a calendar file.
    public let calendar: WorkingDayCalendar
    /// The years the calendar covers.
    public let calendarYears: Set<Int>

    /// Why a campaign directory cannot be used.
    public struct LoadingError: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public init(notices: [CampaignNotice], calendars: [WorkingDayCalendar.YearFile]) throws(LoadingError) {
        var byYear: [Int: CampaignNotice] = [:]
        for notice in notices {
            if let problem = notice.problem { throw LoadingError(reason: "campaign \(notice.year): \(problem)") }
            guard byYear.updateValue(notice, forKey: notice.year) == nil else {
                throw LoadingError(reason: "campaign \(notice.year) is given twice")
            }
        }
        guard !byYear.isEmpty else { throw LoadingError(reason: "no campaign year (campaign/<year>.json)") }
        let years = Set(calendars.map(\.year))
        if let missing = byYear.keys.sorted().first(where: { !years.contains($0) }) {
            throw LoadingError(reason: "campaign \(missing) has no holiday calendar (calendar/\(missing).json)")
        }
        do {
            calendar = try WorkingDayCalendar(years: calendars)
        } catch {
            throw LoadingError(reason: error.description)
        }
        self.notices = byYear
        calendarYears = years
    }

    /// Reads `directory/campaign/*.json` and `directory/calendar/*.json`.
    public init(directory: URL) throws(LoadingError) {
        func files(_ folder: String) throws(LoadingError) -> [URL] {
            let url = directory.appendingPathComponent(folder, isDirectory: true)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
                throw LoadingError(reason: "cannot read the folder \(url.path)")
            }
            return names.filter { $0.hasSuffix(".json") }.sorted().map { url.appendingPathComponent($0) }
        }
        func decode<Value: Decodable>(_ type: Value.Type, _ url: URL) throws(LoadingError) -> Value {
            do {
                return try JSONDecoder().decode(type, from: Data(contentsOf: url))
            } catch {
                throw LoadingError(reason: "\(url.path): \(error)")
            }
        }
        var notices: [CampaignNotice] = []
        for url in try files("campaign") {
            let notice = try decode(CampaignNotice.self, url)
            guard url.deletingPathExtension().lastPathComponent == String(notice.year) else {
                throw LoadingError(reason: "\(url.path) holds the campaign of \(notice.year)")
            }
            notices.append(notice)
        }
        var calendars: [WorkingDayCalendar.YearFile] = []
        for url in try files("calendar") {
            let file = try decode(WorkingDayCalendar.YearFile.self, url)
            guard url.deletingPathExtension().lastPathComponent == String(file.year) else {
                throw LoadingError(reason: "\(url.path) holds the calendar of \(file.year)")
            }
            calendars.append(file)
        }
        try self.init(notices: notices, calendars: calendars)
    }

    /// The years with a notice, oldest first.
    public var years: [Int] { notices.keys.sorted() }

    /// The notice of `year`.
    public func notice(_ year: Int) -> CampaignNotice? { notices[year] }

    /// The campaign in force on `day`: the latest year that has begun (the earliest when `day` is before them all).
    public func current(on day: CalendarDate) -> CampaignNotice {
        let started = notices.values.filter { $0.startsOn <= day }.max { $0.year < $1.year }
        return started ?? notices.values.min { $0.year < $1.year }!
    }

    /// Every batch any year names (a later year's record of a batch wins), oldest first.
    public var batches: [CampaignNotice.Batch] {
        var byYear: [Int: CampaignNotice.Batch] = [:]
        for notice in notices.values.sorted(by: { $0.year < $1.year }) {
            for batch in notice.batches { byYear[batch.year] = batch }
        }
        return byYear.values.sorted { $0.year < $1.year }
    }

    /// The day a region's summary report for `year` is due: the year's notice, or 30 November.
    public func summaryReportDue(year: Int) -> CalendarDate {
        notices[year]?.summaryReportDueOn ?? CalendarDate(year: year, month: 11, day: 30)!
    }
}
