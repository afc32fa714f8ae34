import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres
import ServiceKit

/// Everything a service process reads from its environment, in one place.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `GBM_PG_HOST`, `GBM_PG_PORT`, `GBM_PG_DATABASE` | 127.0.0.1, 5432, gbm | PostgreSQL |
/// | `GBM_PG_SSLMODE` | libpq's (`prefer`) | `disable`, `allow`, `prefer`, `require`, `verify-ca`, `verify-full` |
/// | `GBM_PG_SSLROOTCERT` | unset | CA certificate(s) (PEM) the server's certificate must chain to (`verify-*`) |
/// | `GBM_DB_USER`, `GBM_DB_PASSWORD` | `gbm_<schema>`, `<schema>-local` | the service's own login role |
/// | `GBM_DB_POOL_SIZE` | 10 | connections in the pool |
/// | `GBM_DB_ACQUIRE_TIMEOUT_MS` | 10000 | how long a request waits for a free connection before it is answered 503 |
/// | `GBM_DB_STATEMENT_TIMEOUT_MS`, `GBM_DB_LOCK_TIMEOUT_MS`, `GBM_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS` | 30000, 20000, 60000 | session timeouts of pool connections (0: the server's setting) |
/// | `GBM_KAFKA_BROKERS` | 127.0.0.1:9092 | bootstrap servers |
/// | `GBM_KAFKA_SECURITY_PROTOCOL` | PLAINTEXT | `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT`, `SASL_SSL` |
/// | `GBM_KAFKA_SASL_MECHANISM` | unset | `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512` (required with `SASL_*`) |
/// | `GBM_KAFKA_SASL_USERNAME`, `GBM_KAFKA_SASL_PASSWORD` | unset | the service's principal (required with `SASL_*`) |
/// | `GBM_KAFKA_SSL_CA_LOCATION` | the system's CAs | CA certificate(s) (PEM) of the brokers (`SSL`, `SASL_SSL`) |
/// | `GBM_KAFKA_REPLICATION_FACTOR`, `GBM_KAFKA_MIN_INSYNC_REPLICAS` | 1, 1 | durability of the topics the service creates |
/// | `GBM_KAFKA_SESSION_TIMEOUT_MS` | 45000 (6000 in development) | consumer group session timeout |
/// | `GBM_KAFKA_FETCH_WAIT_MAX_MS` | 500 (10 in development) | consumer fetch wait |
/// | `GBM_KAFKA_FETCH_ERROR_BACKOFF_MS` | 500 (10 in development) | consumer back-off after a fetch error |
/// | `GBM_KAFKA_GROUP` | `gbm-<executable>` | consumer group id (replicas share it) |
/// | `GBM_OUTBOX_RETENTION_HOURS` | 168 | how long published events are kept, with payloads, for `republish` |
/// | `GBM_SEEDS_DIR` | unset | sample and seed data to load on start (never set it in production) |
/// | `GBM_TRACING` | off | `otlp`: spans for requests and handled events, exported over OTLP/HTTP (``TracingConfiguration``) |
/// | `GBM_DEVELOPMENT` | false | a development run: the public development secrets are allowed (``DevelopmentRun``) |
/// plus the HTTP, token and personal-data variables ServiceKit reads (docs/http.md).
///
/// Its description shows no secret (passwords, token secret, personal-data keys): it may be logged.
public struct HostConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var http: HTTPConfiguration
    public var auth: AuthConfiguration
    public var personalData: PersonalDataConfiguration
    public var postgres: PostgresConfiguration
    public var kafka: KafkaConfiguration
    public var consumerGroup: String
    /// Replication factor and `min.insync.replicas` of the topics the service creates.
    public var durability: TopicProvisioner.Durability
    /// How long published events stay in the outbox archive, payloads included, for `<service> republish`.
    public var outboxRetention: Duration
    public var seedsDirectory: String?
    public var logLevel: Logger.Level
    /// Whether and where spans are exported (off unless `GBM_TRACING=otlp`).
    public var tracing: TracingConfiguration

    public init(
        http: HTTPConfiguration, auth: AuthConfiguration, personalData: PersonalDataConfiguration,
        postgres: PostgresConfiguration, kafka: KafkaConfiguration, consumerGroup: String,
        durability: TopicProvisioner.Durability = .singleBroker, outboxRetention: Duration = .seconds(168 * 3600),
        seedsDirectory: String? = nil, logLevel: Logger.Level = .info, tracing: TracingConfiguration = .off
    ) {
        self.tracing = tracing
        self.http = http
        self.auth = auth
        self.personalData = personalData
        self.postgres = postgres
        self.kafka = kafka
        self.consumerGroup = consumerGroup
        self.durability = durability
        self.outboxRetention = outboxRetention
        self.seedsDirectory = seedsDirectory
        self.logLevel = logLevel
    }

    /// The local scripts' password of a service's role: a development default, refused outside a development run
    /// (``DevelopmentRun``).
    public static func developmentDatabasePassword(schema: String) -> String { "\(schema)-local" }

    public init(definition: ServiceDefinition, environment: EnvironmentReader) throws(ConfigurationError) {
        let http = try HTTPConfiguration(serviceName: definition.executableName, environment: environment)
        let schema = definition.schema
        let kafka = try Self.kafka(environment: environment, clientID: definition.executableName)
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
        try Self.applyPostgresTLS(environment: environment, to: &postgres)
        let replicationFactor = try environment.int("GBM_KAFKA_REPLICATION_FACTOR", default: 1, in: 1...32)
        let minInsyncReplicas = try environment.int("GBM_KAFKA_MIN_INSYNC_REPLICAS", default: 1, in: 1...32)
        guard minInsyncReplicas <= replicationFactor else {
            throw ConfigurationError(
                variable: "GBM_KAFKA_MIN_INSYNC_REPLICAS",
                reason: "must not exceed GBM_KAFKA_REPLICATION_FACTOR (\(replicationFactor)), got \(minInsyncReplicas): "
                    + "no write could ever be acknowledged")
        }
        let retentionHours = try environment.int("GBM_OUTBOX_RETENTION_HOURS", default: 168, in: 0...87_600)
        let tracing = try TracingConfiguration(environment: environment, serviceName: definition.executableName)
        self.init(
            http: http,
            auth: try AuthConfiguration(environment: environment),
            personalData: try PersonalDataConfiguration(environment: environment),
            postgres: postgres,
            kafka: kafka,
            consumerGroup: environment.string("GBM_KAFKA_GROUP", default: "gbm-\(definition.executableName)"),
            durability: .init(replicationFactor: replicationFactor, minInsyncReplicas: minInsyncReplicas),
            outboxRetention: .seconds(retentionHours * 3600),
            seedsDirectory: environment.string("GBM_SEEDS_DIR"),
            logLevel: http.logLevel, tracing: tracing)
    }

    /// The Kafka client settings of the environment: brokers, consumer tuning and security (`GBM_KAFKA_*`), for a
    /// service and for the tools that act in its place (`gbm-dlq`).
    public static func kafka(environment: EnvironmentReader, clientID: String) throws(ConfigurationError) -> KafkaConfiguration {
        var kafka = KafkaConfiguration(
            bootstrapServers: environment.string("GBM_KAFKA_BROKERS", default: "127.0.0.1:9092"),
            clientID: clientID,
            sessionTimeoutMs: try environment.int("GBM_KAFKA_SESSION_TIMEOUT_MS", default: 45000, in: 1000...600_000),
            fetchWaitMaxMs: try environment.int("GBM_KAFKA_FETCH_WAIT_MAX_MS", default: 500, in: 0...60_000))
        kafka.fetchErrorBackoffMs = try environment.int("GBM_KAFKA_FETCH_ERROR_BACKOFF_MS", default: 500, in: 0...60_000)
        kafka.security = try kafkaSecurity(environment: environment)
        return kafka
    }

    /// `GBM_KAFKA_SECURITY_PROTOCOL` and what it needs: a SASL protocol needs a mechanism, a user name and a
    /// password; a CA file must be readable. A setting the protocol would ignore is refused rather than silently
    /// dropped (a password set for `PLAINTEXT` is a deployment that believes it authenticates).
    static func kafkaSecurity(environment: EnvironmentReader) throws(ConfigurationError) -> KafkaSecurity {
        let protocolName = environment.string("GBM_KAFKA_SECURITY_PROTOCOL", default: "PLAINTEXT")
        guard let securityProtocol = KafkaSecurity.SecurityProtocol(rawValue: protocolName.uppercased()) else {
            throw ConfigurationError(
                variable: "GBM_KAFKA_SECURITY_PROTOCOL",
                reason: "must be one of \(KafkaSecurity.SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(protocolName)\"")
        }
        var security = KafkaSecurity(securityProtocol: securityProtocol)
        let mechanism = environment.string("GBM_KAFKA_SASL_MECHANISM")
        let username = environment.string("GBM_KAFKA_SASL_USERNAME")
        // A password is taken as given (spaces included), and never echoed in an error.
        let password = environment.values["GBM_KAFKA_SASL_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if securityProtocol.usesSASL {
            guard let mechanism else {
                throw ConfigurationError(variable: "GBM_KAFKA_SASL_MECHANISM", reason: "is required with \(securityProtocol.rawValue)")
            }
            guard let parsed = KafkaSecurity.SASLMechanism(rawValue: mechanism.uppercased()) else {
                throw ConfigurationError(
                    variable: "GBM_KAFKA_SASL_MECHANISM",
                    reason: "must be one of \(KafkaSecurity.SASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(mechanism)\"")
            }
            guard let username else {
                throw ConfigurationError(variable: "GBM_KAFKA_SASL_USERNAME", reason: "is required with \(securityProtocol.rawValue)")
            }
            guard let password else {
                throw ConfigurationError(variable: "GBM_KAFKA_SASL_PASSWORD", reason: "is required with \(securityProtocol.rawValue)")
            }
            security.saslMechanism = parsed
            security.saslUsername = username
            security.saslPassword = password
        } else {
            for (name, value) in [("GBM_KAFKA_SASL_MECHANISM", mechanism), ("GBM_KAFKA_SASL_USERNAME", username),
                                  ("GBM_KAFKA_SASL_PASSWORD", password)] where value != nil {
                throw ConfigurationError(
                    variable: name, reason: "is set, but GBM_KAFKA_SECURITY_PROTOCOL \(securityProtocol.rawValue) does not use SASL")
            }
        }
        if let location = environment.string("GBM_KAFKA_SSL_CA_LOCATION") {
            guard securityProtocol.usesTLS else {
                throw ConfigurationError(
                    variable: "GBM_KAFKA_SSL_CA_LOCATION",
                    reason: "is set, but GBM_KAFKA_SECURITY_PROTOCOL \(securityProtocol.rawValue) does not use TLS")
            }
            guard FileManager.default.isReadableFile(atPath: location) else {
                throw ConfigurationError(variable: "GBM_KAFKA_SSL_CA_LOCATION", reason: "names no readable file: \(location)")
            }
            security.sslCALocation = location
        }
        return security
    }

    /// `GBM_PG_SSLMODE` and `GBM_PG_SSLROOTCERT`.
    static func applyPostgresTLS(environment: EnvironmentReader, to postgres: inout PostgresConfiguration) throws(ConfigurationError) {
        if let mode = environment.string("GBM_PG_SSLMODE") {
            guard let parsed = PostgresConfiguration.SSLMode(rawValue: mode.lowercased()) else {
                throw ConfigurationError(
                    variable: "GBM_PG_SSLMODE",
                    reason: "must be one of \(PostgresConfiguration.SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(mode)\"")
            }
            postgres.sslMode = parsed
        }
        if let rootCert = environment.string("GBM_PG_SSLROOTCERT") {
            guard FileManager.default.isReadableFile(atPath: rootCert) else {
                throw ConfigurationError(variable: "GBM_PG_SSLROOTCERT", reason: "names no readable file: \(rootCert)")
            }
            guard postgres.sslMode != .disable else {
                throw ConfigurationError(variable: "GBM_PG_SSLROOTCERT", reason: "is set, but GBM_PG_SSLMODE is disable")
            }
            postgres.sslRootCert = rootCert
        }
    }

    public var description: String {
        "HostConfiguration(http=\(http.host):\(http.port), \(postgres), \(kafka), group=\(consumerGroup), "
            + "replication.factor=\(durability.replicationFactor), min.insync.replicas=\(durability.minInsyncReplicas), "
            + "outbox.retention=\(outboxRetention), seeds=\(seedsDirectory ?? "none"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "http": "\(http.host):\(http.port)", "postgres": postgres, "kafka": kafka, "consumerGroup": consumerGroup,
            "durability": durability, "outboxRetention": outboxRetention, "seedsDirectory": seedsDirectory as Any,
            "auth": "<redacted>", "personalData": "<redacted>",
        ])
    }
}
