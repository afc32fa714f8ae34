import ArgumentParser
import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// The fault-injection run: 100,000 events through outbox → relay → broker → consumer inbox while the relay's and
/// the consumer's processes are killed, the broker is paused, PostgreSQL restarts, a group is rewound and poison
/// records arrive; then per key: lost, applied twice, out of order, and whether the dead-letter topic holds exactly
/// the poison records. Run it through `deploy/local/fault-run.sh`, which starts and stops a private infrastructure.
///
/// `run` is the driver. The relay and the consumer are the platform's own `OutboxRelay` and `EventConsumer`, each in a
/// process of its own (`relay`, `consumer`) so that the driver can SIGKILL it.
@main
struct FaultRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbm-fault-run",
        abstract: "Drive events through the outbox, relay, broker and inbox while injecting faults; count the damage.",
        subcommands: [FaultRunDriver.self, RelayProcess.self, ConsumerProcess.self],
        defaultSubcommand: FaultRunDriver.self)
}

/// What the three processes share: where the infrastructure is, and the run's names.
struct FaultRunSettings: Sendable {
    var kafka: KafkaConfiguration
    var postgres: PostgresConfiguration
    /// The private infrastructure's state directory (`GBM_LOCAL_DIR`): Tansu's pid, PostgreSQL's data directory.
    var localDirectory: String

    static let outboxSchema = "faults_outbox"
    static let inboxSchema = "faults_inbox"
    static let topic = Topic.platformProbes.name
    static var deadLetterTopic: String { Topic.deadLetterName(of: topic) }
    /// The relay's producer gives up on a record after this long (as a service's does).
    static let messageTimeoutMs = 10_000

    static func fromEnvironment(clientID: String) throws -> FaultRunSettings {
        let env = ProcessInfo.processInfo.environment
        guard let brokers = env["GBM_KAFKA_BROKERS"], let pgPort = env["GBM_PG_PORT"].flatMap(Int.init),
              let local = env["GBM_LOCAL_DIR"]
        else {
            throw ValidationError("run through deploy/local/fault-run.sh (needs GBM_KAFKA_BROKERS, GBM_PG_PORT, GBM_LOCAL_DIR)")
        }
        var kafka = KafkaConfiguration(
            bootstrapServers: brokers, clientID: clientID, sessionTimeoutMs: 6000,
            fetchWaitMaxMs: Int(env["GBM_KAFKA_FETCH_WAIT_MAX_MS"] ?? "") ?? 10)
        kafka.fetchErrorBackoffMs = Int(env["GBM_KAFKA_FETCH_ERROR_BACKOFF_MS"] ?? "") ?? 10
        var postgres = PostgresConfiguration(
            host: env["GBM_PG_HOST"] ?? "127.0.0.1", port: pgPort, database: env["GBM_PG_DATABASE"] ?? "gbm",
            user: env["GBM_PG_ADMIN_USER"] ?? "postgres", password: env["GBM_PG_ADMIN_PASSWORD"] ?? "",
            maxConnections: 4)
        postgres.applicationName = clientID
        return FaultRunSettings(kafka: kafka, postgres: postgres, localDirectory: local)
    }

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["GBM_FAULT_RUN_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .notice
        return logger
    }
}

/// Closes a pool on graceful shutdown, after the services that use it (it comes first in the group).
struct PoolCloser: Service {
    let pool: PostgresPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}

/// `gbm-fault-run relay`: the outbox relay of the run's outbox schema, as a service host runs it.
struct RelayProcess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay", abstract: "Run the outbox relay (started by `run`).")

    func run() async throws {
        let settings = try FaultRunSettings.fromEnvironment(clientID: "fault-run-relay")
        let logger = FaultRunSettings.logger("gbm.fault-run.relay")
        let pool = PostgresPool(configuration: settings.postgres, logger: logger)
        var kafka = settings.kafka
        kafka.properties["message.timeout.ms"] = String(FaultRunSettings.messageTimeoutMs)
        let producer = try KafkaProducer(configuration: kafka, logger: logger)
        let relay = OutboxRelay(
            pool: pool, schema: FaultRunSettings.outboxSchema, producer: producer, signal: nil, logger: logger)
        let group = ServiceGroup(
            services: [PoolCloser(pool: pool), producer, relay], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// `gbm-fault-run consumer`: an event consumer whose handler records each probe it applies in `applied`, in the
/// order it applies them, inside the inbox transaction, as a service's handler records its effect.
struct ConsumerProcess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consumer", abstract: "Run the event consumer (started by `run`).")

    @Option(help: "The consumer group.") var group: String
    @Option(name: .customLong("run"), help: "The run whose probes count (others are skipped).") var runID: String

    func run() async throws {
        let settings = try FaultRunSettings.fromEnvironment(clientID: "fault-run-consumer")
        let logger = FaultRunSettings.logger("gbm.fault-run.consumer")
        let pool = PostgresPool(configuration: settings.postgres, logger: logger)
        let producer = try KafkaProducer(configuration: settings.kafka, logger: logger)
        let runID = runID
        let handler = EventHandler.on(ProbeSent.self) { probe, event, connection in
            guard probe.note == runID else { return }
            try await connection.query("""
                INSERT INTO \(identifier: FaultRunSettings.inboxSchema).applied (key, seq, ce_id)
                VALUES (\(probe.id), \(probe.sequence), \(event.id))
                """)
        }
        let consumer = EventConsumer(
            configuration: .init(groupID: group, topics: [FaultRunSettings.topic]), kafka: settings.kafka, pool: pool,
            schema: FaultRunSettings.inboxSchema, handlers: [handler],
            deadLetters: DeadLetterPublisher(producer: producer, logger: logger), logger: logger)
        let services = ServiceGroup(
            services: [PoolCloser(pool: pool), producer, consumer], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await services.run()
    }
}
