import Contracts
import Foundation
import ServiceHost

/// The campaign facts and limits the service works with; tests replace the clock and the limits.
public struct PilotSettings: ServiceSettings {
    /// The campaign year activities belong to (the year of `campaign`).
    public var campaignYear: Int
    /// The batch new applications join.
    public var applicationBatchYear: Int
    /// Largest work plan document accepted, in bytes.
    public var maxDocumentBytes: Int
    /// How often the deadline scheduler looks for reminders to send.
    public var deadlineCheckInterval: Duration
    /// The time now; the deadline scheduler, "upcoming" and event times read it.
    public var clock: ServiceClock
    /// The campaign year in force, as its notice sets it (`seeds/campaign/<year>.json`).
    public var campaign: CampaignNotice
    /// Every batch the campaign years name; the service records those its database lacks when it starts.
    public var batches: [CampaignNotice.Batch]

    public init(
        campaign: CampaignEnvironment = CampaignEnvironment(
            book: CampaignEnvironment.builtIn, notice: CampaignEnvironment.builtIn.notice(2023)!, clock: .system),
        maxDocumentBytes: Int = 10 * 1024 * 1024, deadlineCheckInterval: Duration = .seconds(3600),
        clock: ServiceClock? = nil
    ) {
        self.campaign = campaign.notice
        self.batches = campaign.book.batches
        self.campaignYear = campaign.notice.year
        self.applicationBatchYear = campaign.notice.batch.year
        self.maxDocumentBytes = maxDocumentBytes
        self.deadlineCheckInterval = deadlineCheckInterval
        self.clock = clock ?? campaign.clock
    }

    /// First day activities may be planned on.
    public var campaignStart: CalendarDate { campaign.startsOn }
    /// Last day activities may be planned on.
    public var campaignEnd: CalendarDate { campaign.endsOn }
    /// The day each region's summary report is due.
    public var reportDueOn: CalendarDate { campaign.summaryReportDueOn }

    /// Today in the campaign's zone (Asia/Shanghai).
    public var today: CalendarDate { clock.today }
}

