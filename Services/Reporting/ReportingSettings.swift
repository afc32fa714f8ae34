import Contracts
import ServiceHost

/// What `reporting` runs with besides the host's configuration; tests replace the clock.
public struct ReportingSettings: ServiceSettings {
    /// The time now: deadlines, schedulers and event times read it.
    public var clock: ServiceClock
    /// The days queries may ask about: from the 2022 batch of pilot regions to the end of the 2023 campaign.
    public var campaign: ClosedRange<CalendarDate>
    /// What renders the printable reports as PDF: WeasyPrint's executable, a path or a name on `PATH`
    /// (`GBM_PDF_RENDERER`).
    public var pdfRenderer: String

    public init(
        clock: ServiceClock = .system,
        campaign: ClosedRange<CalendarDate> = CalendarDate("2022-01-01")!...CalendarDate("2023-12-31")!,
        pdfRenderer: String = "weasyprint"
    ) {
        self.clock = clock
        self.campaign = campaign
        self.pdfRenderer = pdfRenderer
    }
}
