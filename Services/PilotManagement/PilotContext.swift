import Contracts
import Logging
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// What pilot-management's routes, handlers and jobs share: the host's context and the campaign settings.
public struct PilotContext: Sendable {
    public let service: ServiceContext
    public let settings: PilotSettings

    public init(service: ServiceContext, settings: PilotSettings) {
        self.service = service
        self.settings = settings
    }

    var pool: PostgresPool { service.pool }
    var outbox: Outbox { service.outbox }
    var logger: Logger { service.logger }
    var clock: ServiceClock { settings.clock }
}
