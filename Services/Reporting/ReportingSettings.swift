import ServiceHost

/// What `reporting` runs with besides the host's configuration; tests replace the clock.
public struct ReportingSettings: ServiceSettings {
    /// The time now: deadlines, schedulers and event times read it.
    public var clock: ServiceClock

    public init(clock: ServiceClock = .system) {
        self.clock = clock
    }
}
