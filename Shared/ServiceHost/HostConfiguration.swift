import Contracts
import Kafka
import Logging
import Postgres
import ServiceKit

/// Everything a service process reads from its environment, in one place.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `GBM_PG_HOST`, `GBM_PG_PORT`, `GBM_PG_DATABASE` | 127.0.0.1, 5432, gbm | PostgreSQL |
/// | `GBM_DB_USER`, `GBM_DB_PASSWORD` | `gbm_<schema>`, `<schema>-local` | the service's own login role |
/// | `GBM_DB_POOL_SIZE` | 10 | connections in the pool |
/// | `GBM_DB_ACQUIRE_TIMEOUT_MS` | 10000 | how long a request waits for a free connection before it is answered 503 |
/// | `GBM_DB_STATEMENT_TIMEOUT_MS`, `GBM_DB_LOCK_TIMEOUT_MS`, `GBM_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS` | 30000, 20000, 60000 | session timeouts of pool connections (0: the server's setting) |
/// | `GBM_KAFKA_BROKERS` | 127.0.0.1:9092 | bootstrap servers |
/// | `GBM_KAFKA_SESSION_TIMEOUT_MS` | 45000 (6000 in development) | consumer group session timeout |
/// | `GBM_KAFKA_FETCH_WAIT_MAX_MS` | 500 (10 in development) | consumer fetch wait |
/// | `GBM_KAFKA_FETCH_ERROR_BACKOFF_MS` | 500 (10 in development) | consumer back-off after a fetch error |
/// | `GBM_KAFKA_GROUP` | `gbm-<executable>` | consumer group id (replicas share it) |
/// | `GBM_SEEDS_DIR` | unset | sample and seed data to load on start (never set it in production) |
/// | `GBM_DEVELOPMENT` | false | a development run: the public development secrets are allowed (``DevelopmentRun``) |
/// plus the HTTP, token and personal-data variables ServiceKit reads (docs/http.md).
public struct HostConfiguration: Sendable {
    public var http: HTTPConfiguration
    public var auth: AuthConfiguration
    public var personalData: PersonalDataConfiguration
    public var postgres: PostgresConfiguration
    public var kafka: KafkaConfiguration
    public var consumerGroup: String
    public var seedsDirectory: String?
    public var logLevel: Logger.Level

    public init(
        http: HTTPConfiguration, auth: AuthConfiguration, personalData: PersonalDataConfiguration,
        postgres: PostgresConfiguration, kafka: KafkaConfiguration, consumerGroup: String,
        seedsDirectory: String? = nil, logLevel: Logger.Level = .info
    ) {
        self.http = http
        self.auth = auth
        self.personalData = personalData
        self.postgres = postgres
        self.kafka = kafka
        self.consumerGroup = consumerGroup
        self.seedsDirectory = seedsDirectory
        self.logLevel = logLevel
    }

    /// The local scripts' password of a service's role: a development default, refused outside a development run
    /// (``DevelopmentRun``).
    public static func developmentDatabasePassword(schema: String) -> String { "\(schema)-local" }

    public init(definition: ServiceDefinition, environment: EnvironmentReader) throws(ConfigurationError) {
        let http = try HTTPConfiguration(serviceName: definition.executableName, environment: environment)
        let schema = definition.schema
        var kafka = KafkaConfiguration(
            bootstrapServers: environment.string("GBM_KAFKA_BROKERS", default: "127.0.0.1:9092"),
            clientID: definition.executableName,
            sessionTimeoutMs: try environment.int("GBM_KAFKA_SESSION_TIMEOUT_MS", default: 45000, in: 1000...600_000),
            fetchWaitMaxMs: try environment.int("GBM_KAFKA_FETCH_WAIT_MAX_MS", default: 500, in: 0...60_000))
        kafka.fetchErrorBackoffMs = try environment.int("GBM_KAFKA_FETCH_ERROR_BACKOFF_MS", default: 500, in: 0...60_000)
        var postgres = PostgresConfiguration(
            host: environment.string("GBM_PG_HOST", default: "127.0.0.1"),
            port: try environment.int("GBM_PG_PORT", default: 5432, in: 1...65535),
            database: environment.string("GBM_PG_DATABASE", default: "gbm"),
            user: environment.string("GBM_DB_USER", default: "gbm_\(schema)"),
            password: environment.string("GBM_DB_PASSWORD", default: Self.developmentDatabasePassword(schema: schema)),
            searchPath: schema,
            maxConnections: try environment.int("GBM_DB_POOL_SIZE", default: 10, in: 1...500),
            applicationName: definition.executableName)
        func timeout(_ name: String, default milliseconds: Int) throws(ConfigurationError) -> Duration? {
            let value = try environment.int(name, default: milliseconds, in: 0...86_400_000)
            return value == 0 ? nil : .milliseconds(value)
        }
        postgres.statementTimeout = try timeout("GBM_DB_STATEMENT_TIMEOUT_MS", default: 30_000)
        postgres.lockTimeout = try timeout("GBM_DB_LOCK_TIMEOUT_MS", default: 20_000)
        postgres.idleInTransactionSessionTimeout = try timeout("GBM_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", default: 60_000)
        postgres.acquireTimeout = .milliseconds(try environment.int("GBM_DB_ACQUIRE_TIMEOUT_MS", default: 10_000, in: 1...600_000))
        self.init(
            http: http,
            auth: try AuthConfiguration(environment: environment),
            personalData: try PersonalDataConfiguration(environment: environment),
            postgres: postgres,
            kafka: kafka,
            consumerGroup: environment.string("GBM_KAFKA_GROUP", default: "gbm-\(definition.executableName)"),
            seedsDirectory: environment.string("GBM_SEEDS_DIR"),
            logLevel: http.logLevel)
    }
}
