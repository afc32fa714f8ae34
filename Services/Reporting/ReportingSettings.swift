import Contracts
import ServiceHost

/// What `reporting` runs with besides the host's configuration; tests replace the clock.
public struct ReportingSettings: ServiceSettings {
    /// The time now: deadlines, schedulers and event times read it.
    public var clock: ServiceClock
    /// The days queries may ask about: from the 2022 batch of pilot regions to the end of the 2023 campaign.
    public var campaign: ClosedRange<CalendarDate>

    public init(
        clock: ServiceClock = .system,
        campaign: ClosedRange<CalendarDate> = CalendarDate("2022-01-01")!...CalendarDate("2023-12-31")!
    ) {
        self.clock = clock
        self.campaign = campaign
    }
}
