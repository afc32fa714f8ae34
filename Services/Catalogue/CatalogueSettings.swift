import Foundation
import ServiceHost

/// What the catalogue runs with besides the host's configuration; tests replace the clock and the sweep interval.
public struct CatalogueSettings: ServiceSettings {
    /// The time now: certificate expiry, verification dates and event times read it.
    public var clock: ServiceClock
    /// How often the expiry job looks for certificates past their expiry date.
    public var expirySweep: Duration

    public init(clock: ServiceClock = .system, expirySweep: Duration = .seconds(60)) {
        self.clock = clock
        self.expirySweep = expirySweep
    }
}
