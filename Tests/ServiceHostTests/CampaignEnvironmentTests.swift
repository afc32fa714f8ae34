import Contracts
import Foundation
import ServiceHost
import ServiceKit
import ServiceTestSupport
import TestSupport
import Testing

@Suite("Campaign years from the seed files, and the development clock")
struct CampaignEnvironmentTests {
    let seeds = RepositoryFiles.root.appendingPathComponent("seeds").path

    @Test func theSeedFilesHoldTheNoticesAndTheirHolidayCalendars() throws {
        let book = SeedCampaigns.book
        #expect(book.years == [2023, 2024])
        let notice2023 = try #require(book.notice(2023))
        #expect(notice2023.number == "工信厅联原函〔2023〕50号")
        #expect(notice2023.issuedOn == CalendarDate("2023-03-09"))
        #expect(notice2023.issuers.count == 6)
        #expect(notice2023.theme == "绿色建材进万家 美好生活共创建")
        #expect(notice2023.summaryReportDueOn == CalendarDate("2023-11-30"))
        #expect(book.batches.map(\.year) == [2022, 2023, 2024])
        #expect(book.batches.first?.approvedOn == CalendarDate("2022-12-01"))
        #expect(book.batches.map(\.regionCap) == [7, 5, 5])
        // The built-in default is the 2023 seed year, calendar included.
        let builtIn = try #require(CampaignEnvironment.builtIn.notice(2023))
        #expect(builtIn.number == notice2023.number && builtIn.period == notice2023.period)
        #expect(builtIn.batches == notice2023.batches)
        // 2024 (国办发明电〔2023〕7号): the Spring Festival, its make-up Sundays, National Day and its make-up days.
        let calendar = book.calendar
        for day in ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"] {
            #expect(calendar.isWorkingDay(CalendarDate(day)!), "\(day) is a make-up working day")
        }
        for day in ["2024-01-01", "2024-02-12", "2024-02-16", "2024-04-04", "2024-05-03", "2024-06-10", "2024-09-16", "2024-10-07"] {
            #expect(!calendar.isWorkingDay(CalendarDate(day)!), "\(day) is a holiday")
        }
        // Both years at once: 2023's days are still there.
        #expect(!calendar.isWorkingDay(CalendarDate("2023-10-02")!))
        #expect(calendar.isWorkingDay(CalendarDate("2023-10-07")!))
    }

    @Test func theYearInForceIsTheLatestThatHasBegunOrTheOneNamed() throws {
        let book = SeedCampaigns.book
        #expect(book.current(on: CalendarDate("2023-06-01")!).year == 2023)
        #expect(book.current(on: CalendarDate("2024-01-01")!).year == 2024)
        #expect(book.current(on: CalendarDate("2026-12-02")!).year == 2024)
        #expect(book.current(on: CalendarDate("2022-06-01")!).year == 2023)
        let named = try CampaignEnvironment(environment: EnvironmentReader(["GBM_CAMPAIGN_DIR": seeds, "GBM_CAMPAIGN_YEAR": "2023"]))
        #expect(named.notice.year == 2023)
        #expect(throws: ConfigurationError.self) {
            try CampaignEnvironment(environment: EnvironmentReader(["GBM_CAMPAIGN_DIR": seeds, "GBM_CAMPAIGN_YEAR": "2025"]))
        }
        #expect(throws: ConfigurationError.self) {
            try CampaignEnvironment(environment: EnvironmentReader(["GBM_CAMPAIGN_DIR": "/nonexistent"]))
        }
        let defaults = try CampaignEnvironment(environment: EnvironmentReader([:]))
        #expect(defaults.book == CampaignEnvironment.builtIn)
    }

    @Test func aNoticeWithoutItsCalendarOrWithAWrongPeriodIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaign-\(UUID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("campaign"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("calendar"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var notice = try #require(SeedCampaigns.book.notice(2024))
        notice.year = 2025
        notice.batch.year = 2025
        notice.startsOn = CalendarDate("2025-01-01")!
        notice.endsOn = CalendarDate("2025-12-31")!
        notice.summaryReportDueOn = CalendarDate("2025-11-30")!
        try JSONEncoder().encode(notice).write(to: directory.appendingPathComponent("campaign/2025.json"))
        #expect(throws: CampaignBook.LoadingError.self) { try CampaignBook(directory: directory) }  // no 2025 calendar
        try Data(#"{"year":2025,"holidays":["2025-01-01"],"workdays":[]}"#.utf8)
            .write(to: directory.appendingPathComponent("calendar/2025.json"))
        #expect(try CampaignBook(directory: directory).notice(2025)?.batch.year == 2025)
        notice.summaryReportDueOn = CalendarDate("2026-01-31")!
        try JSONEncoder().encode(notice).write(to: directory.appendingPathComponent("campaign/2025.json"))
        #expect(throws: CampaignBook.LoadingError.self) { try CampaignBook(directory: directory) }
    }

    @Test func theSimulatedClockIsOnlyForDevelopmentRunsAndRunsAtItsRate() throws {
        let start = "2023-09-25T09:00:00+08:00"
        #expect(throws: ConfigurationError.self) {
            try CampaignEnvironment(environment: EnvironmentReader(["GBM_CLOCK_START": start]))
        }
        #expect(throws: ConfigurationError.self) {
            try CampaignEnvironment(environment: EnvironmentReader(["GBM_DEVELOPMENT": "true", "GBM_CLOCK_START": "next monday"]))
        }
        #expect(throws: ConfigurationError.self) {
            try CampaignEnvironment(environment: EnvironmentReader(["GBM_DEVELOPMENT": "true", "GBM_CLOCK_RATE": "60"]))
        }
        let anchor = Date().addingTimeInterval(-10)
        let environment = try CampaignEnvironment(environment: EnvironmentReader([
            "GBM_DEVELOPMENT": "true", "GBM_CLOCK_START": start, "GBM_CLOCK_RATE": "3600",
            "GBM_CLOCK_ANCHOR": ISO8601DateFormatter().string(from: anchor), "GBM_CAMPAIGN_DIR": seeds,
        ]))
        // Ten real seconds at 3,600: ten hours after the start (give or take the second the anchor was rounded to).
        let elapsed = environment.clock.now().timeIntervalSince(ISO8601DateFormatter().date(from: start)!)
        #expect(elapsed > 9 * 3600 && elapsed < 12 * 3600, "\(elapsed)")
        #expect(environment.notice.year == 2023, "the year in force follows the simulated clock")
        // Jobs keep their pace in service time: a ten-minute check every second at 600×, never more often.
        var fast = environment
        fast.clockRate = 600
        #expect(fast.realInterval(.seconds(600)) == .seconds(1))
        #expect(fast.realInterval(.seconds(3600)) == .seconds(6))
        #expect(fast.realInterval(.seconds(60)) == .seconds(1))
        let wall = try CampaignEnvironment(environment: EnvironmentReader([:]))
        #expect(wall.clockRate == 1 && wall.realInterval(.seconds(600)) == .seconds(600))
    }
}
