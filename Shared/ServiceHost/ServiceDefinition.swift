import Contracts
import Hummingbird
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// What makes one service what it is; the host supplies everything else (pool, topics, outbox relay,
/// consumer, HTTP platform routes, shutdown).
public struct ServiceDefinition: Sendable {
    /// Who publishes: the topic owner and event source.
    public var service: ServiceName
    /// The executable's name, e.g. `pilot-management`.
    public var executableName: String
    /// The PostgreSQL schema it owns.
    public var schema: String
    /// Its own migrations, numbered from 100 (1–99 are the platform's outbox and inbox).
    public var migrations: [PostgresMigration]
    /// The topics it reads.
    public var consumes: [Topic]
    /// The OpenAPI 3.1 document of its own routes (the platform routes are added by the host).
    public var openAPI: OpenAPIDocument
    /// Handlers for the event types it reacts to.
    public var handlers: @Sendable (ServiceContext) -> [EventHandler]
    /// What it does with a consumed event no handler takes (a type it has no use for, or a type newer than its
    /// contract catalogue, which is then not dead-lettered); nil: such events are skipped (unknown types
    /// dead-lettered). Runs through the inbox like any handler.
    public var fallbackHandler: (@Sendable (ServiceContext) -> EventHandler)?
    /// Empties everything the handlers built from the topics, for `<service> rebuild` (which then replays every
    /// consumed topic from its first offset through the inbox); nil for a service that keeps no projections.
    public var projectionReset: (@Sendable (PostgresConnection) async throws -> Void)?
    /// Adds its routes to the router.
    public var routes: @Sendable (Router<AppRequestContext>, ServiceContext) -> Void
    /// Its own long-running jobs (schedulers), run and shut down with the rest.
    public var backgroundServices: @Sendable (ServiceContext) -> [any Service]
    /// Loads seed data from a directory, idempotently.
    public var seed: (@Sendable (ServiceContext, String) async throws -> Void)?
    /// Work every start does after the migrations and before serving, idempotently: e.g. publishing the state a
    /// migration created, which no route ever announced.
    public var startUp: (@Sendable (ServiceContext) async throws -> Void)?

    public init(
        service: ServiceName, executableName: String, schema: String, migrations: [PostgresMigration] = [],
        consumes: [Topic] = [], openAPI: OpenAPIDocument,
        handlers: @escaping @Sendable (ServiceContext) -> [EventHandler] = { _ in [] },
        fallbackHandler: (@Sendable (ServiceContext) -> EventHandler)? = nil,
        projectionReset: (@Sendable (PostgresConnection) async throws -> Void)? = nil,
        routes: @escaping @Sendable (Router<AppRequestContext>, ServiceContext) -> Void = { _, _ in },
        backgroundServices: @escaping @Sendable (ServiceContext) -> [any Service] = { _ in [] },
        seed: (@Sendable (ServiceContext, String) async throws -> Void)? = nil,
        startUp: (@Sendable (ServiceContext) async throws -> Void)? = nil
    ) {
        precondition(migrations.allSatisfy { $0.version >= 100 }, "service migrations are numbered from 100")
        self.service = service
        self.executableName = executableName
        self.schema = schema
        self.migrations = migrations
        self.consumes = consumes
        self.openAPI = openAPI
        self.handlers = handlers
        self.fallbackHandler = fallbackHandler
        self.projectionReset = projectionReset
        self.routes = routes
        self.backgroundServices = backgroundServices
        self.seed = seed
        self.startUp = startUp
    }

    /// The topics this service publishes.
    public var owns: [Topic] { EventCatalogue.topics(ownedBy: service) }

    /// Platform migrations followed by the service's own.
    public var allMigrations: [PostgresMigration] { MessagingMigrations.all + migrations }
}

/// What a service's routes, handlers and jobs work with.
public struct ServiceContext: Sendable {
    public let pool: PostgresPool
    public let outbox: Outbox
    public let logger: Logger
    public let configuration: HostConfiguration
    public let personalData: PersonalDataProtector

    public init(pool: PostgresPool, outbox: Outbox, logger: Logger, configuration: HostConfiguration,
                personalData: PersonalDataProtector) {
        self.pool = pool
        self.outbox = outbox
        self.logger = logger
        self.configuration = configuration
        self.personalData = personalData
    }
}
