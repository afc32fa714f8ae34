import Contracts
import Foundation
import ServiceHost

/// The campaign facts and limits the service works with; tests replace the clock and the limits.
public struct PilotSettings: ServiceSettings {
    /// The campaign year activities belong to (the 2023 campaign, notice 工信厅联原函〔2023〕50号).
    public var campaignYear: Int
    /// The batch new applications join.
    public var applicationBatchYear: Int
    /// Largest work plan document accepted, in bytes.
    public var maxDocumentBytes: Int
    /// How often the deadline scheduler looks for reminders to send.
    public var deadlineCheckInterval: Duration
    /// The time now; the deadline scheduler, "upcoming" and event times read it.
    public var clock: ServiceClock

    public init(
        campaignYear: Int = 2023, applicationBatchYear: Int = 2023, maxDocumentBytes: Int = 10 * 1024 * 1024,
        deadlineCheckInterval: Duration = .seconds(3600), clock: ServiceClock = .system
    ) {
        self.campaignYear = campaignYear
        self.applicationBatchYear = applicationBatchYear
        self.maxDocumentBytes = maxDocumentBytes
        self.deadlineCheckInterval = deadlineCheckInterval
        self.clock = clock
    }

    /// First day activities may be planned on.
    public var campaignStart: CalendarDate { CalendarDate(year: campaignYear, month: 1, day: 1)! }
    /// Last day activities may be planned on.
    public var campaignEnd: CalendarDate { CalendarDate(year: campaignYear, month: 12, day: 31)! }
    /// The day each region's summary report is due.
    public var reportDueOn: CalendarDate { CalendarDate(year: campaignYear, month: 11, day: 30)! }

    /// Today in the campaign's zone (Asia/Shanghai).
    public var today: CalendarDate { clock.today }
}

