import Logging
import Messaging
import Postgres

/// A service's own settings: whatever it runs with besides the host's configuration (limits, intervals), and the
/// clock every one of its schedulers, dates and event times reads.
public protocol ServiceSettings: Sendable {
    var clock: ServiceClock { get }
}

/// What a service's routes, domain objects, handlers and jobs share: the host's context (pool, outbox, logger,
/// configuration, personal-data protector) and the service's settings. Each service names it once
/// (`typealias CatalogueContext = DomainContext<CatalogueSettings>`).
public struct DomainContext<Settings: ServiceSettings>: Sendable {
    public let service: ServiceContext
    public let settings: Settings

    public init(service: ServiceContext, settings: Settings) {
        self.service = service
        self.settings = settings
    }

    public var pool: PostgresPool { service.pool }
    public var outbox: Outbox { service.outbox }
    public var logger: Logger { service.logger }
    public var clock: ServiceClock { settings.clock }
}
