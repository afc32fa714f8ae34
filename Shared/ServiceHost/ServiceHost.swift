import ArgumentParser
import Contracts
import Foundation
import Hummingbird
import Kafka
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Assembles and runs one service: migrates its schema, creates its topics, and runs the outbox relay,
/// the event consumer, the service's own jobs and the HTTP server in one `ServiceGroup`.
///
/// Start-up order is dependency order; graceful shutdown (SIGTERM/SIGINT) runs in reverse: the HTTP server
/// stops taking requests, jobs stop, the consumer finishes the message in hand and commits its offsets,
/// the relay stops, the producer flushes, and the pool closes.
public struct ServiceHost {
    public let definition: ServiceDefinition
    public let configuration: HostConfiguration
    public let context: ServiceContext
    public let router: Router<AppRequestContext>
    /// The long-running parts in start order (the HTTP server comes last).
    public let services: [any Service]
    /// The event consumer, when the service consumes anything (also what `rebuild` applies replayed records with).
    public let consumer: EventConsumer?
    let logger: Logger

    /// Prepares everything; nothing runs until `run()` (or a test runs `services`).
    public static func assemble(
        _ definition: ServiceDefinition, configuration: HostConfiguration, logger baseLogger: Logger? = nil
    ) async throws -> ServiceHost {
        var logger = baseLogger ?? Logger(label: "gbm.\(definition.executableName)")
        logger.logLevel = configuration.logLevel
        logger[metadataKey: "service.name"] = "\(definition.executableName)"

        // The identity provider's keys first: a wrong JWKS path or URL stops the start before anything else.
        let verifier = TokenVerifier(configuration: configuration.auth, logger: logger)
        try await verifier.prepare()

        let pool = PostgresPool(configuration: configuration.postgres, logger: logger)
        try await PostgresMigrator(schema: definition.schema, migrations: definition.allMigrations, logger: logger)
            .migrate(pool)

        let admin = KafkaAdmin(configuration: configuration.kafka, logger: logger)
        try await TopicProvisioner(admin: admin, durability: configuration.durability, logger: logger)
            .ensure(owned: definition.owns, consumed: definition.consumes)

        let tracing = try HostTracing.make(configuration.tracing)
        let producer = try KafkaProducer(configuration: configuration.kafka.forRelay, logger: logger)
        let outboxSignal = OutboxSignal(announcingTo: pool, schema: definition.schema)
        let context = ServiceContext(
            pool: pool, outbox: Outbox(schema: definition.schema, source: definition.service, signal: outboxSignal),
            logger: logger,
            configuration: configuration, personalData: PersonalDataProtector(configuration: configuration.personalData))

        if let startUp = definition.startUp {
            try await startUp(context)
        }
        if let seeds = configuration.seedsDirectory, let seed = definition.seed {
            try await seed(context, seeds)
        }

        var relayConfiguration = OutboxRelay.Configuration()
        relayConfiguration.retention = configuration.outboxRetention
        let relay = OutboxRelay(
            pool: pool, schema: definition.schema, producer: producer, signal: outboxSignal,
            configuration: relayConfiguration, logger: logger)
        // The span exporter starts first and stops last, so that the spans of a graceful shutdown are still sent.
        var services: [any Service] = (tracing.map { [$0.exporter] } ?? []) + [PoolLifecycle(pool: pool), producer, relay]
        let consumer = definition.consumes.isEmpty ? nil : EventConsumer(
            configuration: .init(groupID: configuration.consumerGroup, topics: definition.consumes.map(\.name)),
            kafka: configuration.kafka, pool: pool, schema: definition.schema,
            handlers: definition.handlers(context), fallback: definition.fallbackHandler?(context),
            deadLetters: DeadLetterPublisher(producer: producer, logger: logger), logger: logger,
            traces: tracing?.traces)
        if let consumer { services.append(consumer) }
        services += definition.backgroundServices(context)

        let probeTopic = (definition.owns.first ?? definition.consumes.first)?.name
        // The broker is asked on the producer's own client and connections (a metadata request), never on a client
        // made for the probe: a probe every few seconds would otherwise start librdkafka's threads each time.
        let brokerTimeout = configuration.http.readinessTimeout
        let readiness = [
            ReadinessCheck(name: "postgres") { try await pool.ping() },
            ReadinessCheck(name: "kafka") {
                guard let probeTopic else { return }
                guard try await producer.partitionCount(topic: probeTopic, timeout: brokerTimeout) != nil else {
                    throw ReadinessFailure(code: "topic-missing", detail: "topic \(probeTopic) is missing on the broker")
                }
            },
            // A consumer waiting out an outage (a dead-letter topic it cannot write, most of all) makes no progress.
            ReadinessCheck(name: "consumer") {
                guard let health = consumer?.health, health != .healthy else { return }
                throw ReadinessFailure(code: "consumer-\(health.rawValue)", detail: "the event consumer is paused")
            },
        ]
        let router = makeRouter(
            service: definition.executableName, readiness: readiness,
            auth: verifier, openAPI: definition.openAPI, logger: logger,
            readinessTimeout: configuration.http.readinessTimeout,
            metricsCollectors: [HostMetrics(pool: pool, schema: definition.schema, consumer: consumer,
                                            group: configuration.consumerGroup, logger: logger).collect],
            tracing: tracing.map { HTTPTracingMiddleware(traces: $0.traces) },
            apiDocsDirectory: configuration.http.apiDocsDirectory)
        definition.routes(router, context)
        return ServiceHost(
            definition: definition, configuration: configuration, context: context, router: router,
            services: services, consumer: consumer, logger: logger)
    }

    /// The HTTP application; with `withServices`, it also runs the host's long-running parts (for tests
    /// driving it through `app.test(...)`).
    public func application(withServices: Bool) -> some ApplicationProtocol {
        let idle = configuration.http.idleTimeout.components
        return Application(
            router: router,
            server: .http1(configuration: .init(
                idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.http.host, port: configuration.http.port),
                serverName: definition.executableName),
            services: withServices ? services : [],
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) } + [.init(service: application(withServices: false))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [.sigquit],
            logger: logger))
        logger.info("starting", metadata: Self.startupMetadata(configuration))
        try await group.run()
    }

    /// What the start is logged with: where it serves, how it reaches Kafka and PostgreSQL (never a secret).
    static func startupMetadata(_ configuration: HostConfiguration) -> Logger.Metadata {
        [
            "http.port": "\(configuration.http.port)", "kafka.group": "\(configuration.consumerGroup)",
            "kafka.brokers": "\(configuration.kafka.bootstrapServers)",
            "kafka.security": "\(configuration.kafka.security)",
            "kafka.replication_factor": "\(configuration.durability.replicationFactor)",
            "kafka.min_insync_replicas": "\(configuration.durability.minInsyncReplicas)",
            "postgres.sslmode": "\(configuration.postgres.sslMode?.rawValue ?? "prefer (libpq default)")",
            "outbox.retention": "\(configuration.outboxRetention)",
            "tracing": "\(configuration.tracing.mode == .off ? "off" : "otlp \(configuration.tracing.endpoint)")",
        ]
    }

    /// Reads the command line and the environment, then serves (assembles and runs) or runs the command asked
    /// for (``ServiceCommand``): the whole of a service's `main.swift`.
    public static func main(_ definition: ServiceDefinition) async {
        // Read before anything logs: `GBM_LOG_FORMAT` is `text` (the default) or `json` (one object a line).
        let formatText = ProcessInfo.processInfo.environment["GBM_LOG_FORMAT"] ?? ServiceLogHandler.Format.text.rawValue
        guard let format = ServiceLogHandler.Format(rawValue: formatText) else {
            FileHandle.standardError.write(Data("GBM_LOG_FORMAT must be text or json, not \"\(formatText)\"\n".utf8))
            exit(78)  // EX_CONFIG
        }
        LoggingSystem.bootstrap { label in
            var handler = ServiceLogHandler(label: label)
            handler.logLevel = .info
            handler.format = format
            return handler
        }
        let logger = Logger(label: "gbm.\(definition.executableName)")
        let command: any ParsableCommand
        do {
            command = try ServiceCommand.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
        } catch {
            ServiceCommand.exit(withError: error)
        }
        switch command {
        case let republish as ServiceCommand.Republish:
            exit(await runRepublish(definition, republish, logger: logger))
        case is ServiceCommand.Rebuild:
            exit(await runRebuild(definition, logger: logger))
        case is ServiceCommand.Serve:
            break
        default:
            // `--help`, `help`: ArgumentParser's own command prints the usage.
            do {
                var command = command
                try command.run()
                exit(0)
            } catch {
                ServiceCommand.exit(withError: error)
            }
        }
        do {
            let configuration = try HostConfiguration(definition: definition, environment: .process)
            try DevelopmentRun.check(configuration, schema: definition.schema, environment: .process, logger: logger)
            let host = try await assemble(definition, configuration: configuration, logger: logger)
            try await host.run()
        } catch {
            logger.critical("service stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}

/// Closes the pool last, after everything that uses it has stopped.
struct PoolLifecycle: Service {
    let pool: PostgresPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}

extension KafkaConfiguration {
    /// The relay's producer fails a send after 10 s instead of librdkafka's 5 minutes, so the relay
    /// backs off and retries while the broker is away instead of holding its transaction open.
    var forRelay: KafkaConfiguration {
        var copy = self
        if copy.properties["message.timeout.ms"] == nil { copy.properties["message.timeout.ms"] = "10000" }
        return copy
    }
}
