import Contracts
import Foundation
import ServiceKit

/// The campaign years and the clock a service process runs with, read from its environment:
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `GBM_CAMPAIGN_DIR` | unset: the 2023 campaign built in | a folder with `campaign/<year>.json` and `calendar/<year>.json` (``CampaignBook``; the image has `/app/campaign`) |
/// | `GBM_CAMPAIGN_YEAR` | the latest year that has begun | the campaign year in force: activities, the batch new applications join |
/// | `GBM_CLOCK_START` | unset: the wall clock | development only: the service's time at `GBM_CLOCK_ANCHOR`, an ISO 8601 instant (`2023-09-25T09:00:00+08:00`) |
/// | `GBM_CLOCK_ANCHOR` | the process start | development only: the real instant at which the service's time was `GBM_CLOCK_START` |
/// | `GBM_CLOCK_RATE` | 1 | development only: service seconds per real second (1–100000) |
///
/// A simulated clock lets a demonstration run a campaign year in minutes: every service of a local system gets the
/// same three values (`deploy/local/up.sh --clock …`), so they agree on the time. It is refused outside a
/// development run (``DevelopmentRun``): a production service always reads the wall clock.
public struct CampaignEnvironment: Sendable {
    public var book: CampaignBook
    /// The campaign year in force.
    public var notice: CampaignNotice
    public var clock: ServiceClock
    /// Service seconds per real second: 1 on the wall clock, `GBM_CLOCK_RATE` on a simulated one.
    public var clockRate: Double

    public init(book: CampaignBook, notice: CampaignNotice, clock: ServiceClock, clockRate: Double = 1) {
        self.book = book
        self.notice = notice
        self.clock = clock
        self.clockRate = clockRate
    }

    /// How often a job that runs every `interval` of service time runs in real time: on a clock running 600 times
    /// as fast, a ten-minute deadline check runs every second, so deadlines pass in the demo as they would in a
    /// day (never more often than once a second).
    public func realInterval(_ interval: Duration) -> Duration {
        guard clockRate > 1 else { return interval }
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        return .milliseconds(Int64(max(1000, seconds * 1000 / clockRate)))
    }

    /// The 2023 campaign as the code knew it before campaigns were data: the default without `GBM_CAMPAIGN_DIR`.
    public static let builtIn: CampaignBook = {
        let notice = CampaignNotice(
            year: 2023, title: "关于开展2023年绿色建材下乡活动的通知", number: "工信厅联原函〔2023〕50号",
            issuedOn: CalendarDate("2023-03-09"),
            issuers: ["工业和信息化部办公厅", "住房和城乡建设部办公厅", "农业农村部办公厅", "商务部办公厅", "国家市场监督管理总局办公厅", "国家乡村振兴局综合司"],
            theme: "绿色建材进万家 美好生活共创建", startsOn: CalendarDate("2023-01-01")!, endsOn: CalendarDate("2023-12-31")!,
            summaryReportDueOn: CalendarDate("2023-11-30")!,
            batch: .init(year: 2023, name: "2023 second batch", regionCap: 5),
            earlierBatches: [.init(year: 2022, name: "2022 first batch", regionCap: 7, approvedOn: CalendarDate("2022-12-01"))],
            promotionGroup: [], contacts: [])
        return try! CampaignBook(notices: [notice], calendars: [WorkingDayCalendar.china2023.yearFile(2023)])
    }()

    public init(environment: EnvironmentReader, processStart: Date = Date()) throws(ConfigurationError) {
        let book: CampaignBook
        if let directory = environment.string("GBM_CAMPAIGN_DIR") {
            do {
                book = try CampaignBook(directory: URL(fileURLWithPath: directory, isDirectory: true))
            } catch {
                throw ConfigurationError(variable: "GBM_CAMPAIGN_DIR", reason: error.description)
            }
        } else {
            book = Self.builtIn
        }
        let (clock, rate) = try Self.clock(environment: environment, processStart: processStart)
        let notice: CampaignNotice
        if environment.string("GBM_CAMPAIGN_YEAR") != nil {
            let year = try environment.int("GBM_CAMPAIGN_YEAR", default: 0, in: 2022...2100)
            guard let chosen = book.notice(year) else {
                throw ConfigurationError(
                    variable: "GBM_CAMPAIGN_YEAR",
                    reason: "has no campaign \(year); the campaign folder has \(book.years.map(String.init).joined(separator: ", "))")
            }
            notice = chosen
        } else {
            notice = book.current(on: clock.today)
        }
        self.init(book: book, notice: notice, clock: clock, clockRate: rate)
    }

    /// The wall clock, or in a development run the simulated clock `GBM_CLOCK_*` describe.
    static func clock(environment: EnvironmentReader, processStart: Date) throws(ConfigurationError) -> (ServiceClock, Double) {
        guard let startText = environment.string("GBM_CLOCK_START") else {
            for name in ["GBM_CLOCK_ANCHOR", "GBM_CLOCK_RATE"] where environment.string(name) != nil {
                throw ConfigurationError(variable: name, reason: "needs GBM_CLOCK_START")
            }
            return (.system, 1)
        }
        guard try environment.bool(DevelopmentRun.variable, default: false) else {
            throw ConfigurationError(
                variable: "GBM_CLOCK_START",
                reason: "moves the service's clock and is refused outside a development run (\(DevelopmentRun.variable)=true)")
        }
        guard let start = Self.instant(startText) else {
            throw ConfigurationError(variable: "GBM_CLOCK_START", reason: "must be an ISO 8601 instant with its offset, e.g. 2023-09-25T09:00:00+08:00, got \"\(startText)\"")
        }
        var anchor = processStart
        if let anchorText = environment.string("GBM_CLOCK_ANCHOR") {
            guard let parsed = Self.instant(anchorText) else {
                throw ConfigurationError(variable: "GBM_CLOCK_ANCHOR", reason: "must be an ISO 8601 instant with its offset, got \"\(anchorText)\"")
            }
            anchor = parsed
        }
        let rate = try environment.int("GBM_CLOCK_RATE", default: 1, in: 1...100_000)
        return (ServiceClock.simulated(startingAt: start, anchor: anchor, rate: Double(rate)), Double(rate))
    }

    private static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension ServiceClock {
    /// A clock that read `start` at the real instant `anchor` and runs `rate` times as fast as the wall clock.
    public static func simulated(startingAt start: Date, anchor: Date, rate: Double) -> ServiceClock {
        ServiceClock { start.addingTimeInterval(Date().timeIntervalSince(anchor) * rate) }
    }
}

extension ServiceHost {
    /// Runs the definition `make` builds from the process environment (the service's own variables and
    /// ``CampaignEnvironment``); a variable it refuses stops the process here, naming it (exit status 78, EX_CONFIG).
    public static func main(
        _ executableName: String,
        definition make: ([String: String]) throws(ConfigurationError) -> ServiceDefinition
    ) async {
        let definition: ServiceDefinition
        do {
            definition = try make(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("\(executableName): \(error)\n".utf8))
            exit(78)
        }
        await main(definition)
    }
}
