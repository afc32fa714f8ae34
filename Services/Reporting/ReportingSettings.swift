import Contracts
import ServiceHost

/// What `reporting` runs with besides the host's configuration; tests replace the clock.
public struct ReportingSettings: ServiceSettings {
    /// The time now: deadlines, schedulers and event times read it.
    public var clock: ServiceClock
    /// The days queries may ask about and the years reports are written for: from the 2022 batch of pilot regions
    /// to the end of the latest campaign year or, while the campaign carries on with new batches, to the end of the
    /// current year (as the clock says when the service starts), so that what happens today is in the figures.
    public var campaign: ClosedRange<CalendarDate>
    /// The campaign years (their report deadlines) and the working days handling times are counted in.
    public var campaigns: CampaignBook
    /// What renders the printable reports as PDF: WeasyPrint's executable, a path or a name on `PATH`
    /// (`GBM_PDF_RENDERER`).
    public var pdfRenderer: String

    public init(
        clock: ServiceClock = .system,
        campaign: ClosedRange<CalendarDate>? = nil,
        campaigns: CampaignBook = CampaignEnvironment.builtIn,
        pdfRenderer: String = "weasyprint"
    ) {
        self.clock = clock
        self.campaigns = campaigns
        self.campaign = campaign ?? Self.campaign(through: clock.today, campaigns: campaigns)
        self.pdfRenderer = pdfRenderer
    }

    /// 2022-01-01 (the first batch) to 31 December of `today`'s year, or the end of the latest campaign year if
    /// that is later.
    public static func campaign(
        through today: CalendarDate, campaigns: CampaignBook = CampaignEnvironment.builtIn
    ) -> ClosedRange<CalendarDate> {
        let first = campaigns.batches.first.map { CalendarDate(year: $0.year, month: 1, day: 1)! } ?? CalendarDate(year: 2022, month: 1, day: 1)!
        let last = campaigns.notices.values.map(\.endsOn).max()!
        return first...max(last, CalendarDate(year: today.year, month: 12, day: 31)!)
    }
}
