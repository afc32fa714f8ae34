import ArgumentParser
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit

/// A service executable's command line: with no arguments (or `serve`) it runs the service; `republish` re-queues the
/// outbox's retained events of a time range for publishing. Both read the same environment (``HostConfiguration``).
///
///     catalogue                                                   # serve
///     catalogue republish --since 2025-03-01T00:00:00+08:00 --until 2025-03-02T00:00:00+08:00
///     catalogue republish --since 2025-03-01T00:00:00Z --topic gbm.catalogue.certificates.v1 --dry-run
public struct ServiceCommand: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: URL(fileURLWithPath: CommandLine.arguments.first ?? "service").lastPathComponent,
            abstract: "A service of the Green Building Materials to the Countryside platform.",
            discussion: "Configuration comes from GBM_* environment variables (docs/deploy.md).",
            subcommands: [Serve.self, Republish.self, Rebuild.self],
            defaultSubcommand: Serve.self)
    }

    public init() {}

    /// Runs the service until SIGTERM or SIGINT (the default).
    public struct Serve: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Run the service (the default).")
        public init() {}
    }

    /// Rebuilds the service's projections from the topics.
    public struct Rebuild: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Empty the projections and replay every consumed topic from its first offset.",
            discussion: """
                In one transaction empties what the service built from the topics, and its inbox; then reads every \
                consumed topic from its first offset up to its end when the command started and applies each record \
                through the inbox as the consumer would. A running replica's consumer carries on from its committed \
                offsets; the inbox drops what the replay applied already. Only for services that keep projections.
                """)
        public init() {}
    }

    /// Re-queues published events for publishing.
    public struct Republish: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Publish the retained events of a time range again, in their original order.",
            discussion: """
                Puts the events this service published in [--since, --until) back into its outbox; the running \
                service's relay (any replica) publishes them again at once. Consumers' inboxes drop the events they \
                have already applied, so only those that lost them apply them. Events are retained, with their \
                payloads, for GBM_OUTBOX_RETENTION_HOURS (168 by default) after they were published.
                """)

        @Option(help: "Events published at or after this time (RFC 3339, e.g. 2025-03-01T08:00:00+08:00).",
                transform: parseRFC3339)
        public var since: Date

        @Option(help: "Events published before this time (RFC 3339; default: now).", transform: parseRFC3339)
        public var until: Date?

        @Option(name: .customLong("topic"), help: "Only events of this topic (repeatable; default: all the service's).")
        public var topics: [String] = []

        @Flag(help: "Count what would be republished; change nothing.")
        public var dryRun = false

        public init() {}

        public func validate() throws {
            if let until, until <= since {
                throw ValidationError("--until \(formatRFC3339(until)) is not after --since \(formatRFC3339(since))")
            }
        }
    }
}

/// A date in RFC 3339 (`2025-03-01T08:00:00+08:00`, `2025-03-01T00:00:00.250Z`).
func parseRFC3339(_ text: String) throws -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    throw ValidationError("\"\(text)\" is not an RFC 3339 time with a zone, e.g. 2025-03-01T08:00:00+08:00")
}

func formatRFC3339(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

/// A refused `republish`: a topic the service does not publish.
public struct RepublishError: Error, CustomStringConvertible {
    public var description: String
}

extension ServiceHost {
    /// Re-queues the retained events `command` chooses in `definition`'s outbox, as `<service> republish` does;
    /// returns what it found and queued. Statements run without the pool's statement timeout: a week of events is
    /// one statement.
    public static func republish(
        _ definition: ServiceDefinition, configuration: HostConfiguration, command: ServiceCommand.Republish,
        now: Date = Date(), logger: Logger
    ) async throws -> OutboxArchive.Requeued {
        let owned = Set(definition.owns.map(\.name))
        if let foreign = command.topics.first(where: { !owned.contains($0) }) {
            throw RepublishError(description: """
                \(definition.executableName) does not publish \(foreign); its topics are \(owned.sorted().joined(separator: ", "))
                """)
        }
        var postgres = configuration.postgres
        postgres.statementTimeout = nil
        postgres.maxConnections = 1
        let pool = PostgresPool(configuration: postgres, logger: logger)
        do {
            let result = try await OutboxArchive(pool: pool, schema: definition.schema).requeue(
                publishedSince: command.since, until: command.until ?? now, topics: command.topics,
                dryRun: command.dryRun)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// What `<service> republish` prints.
    static func report(_ result: OutboxArchive.Requeued, of definition: ServiceDefinition, command: ServiceCommand.Republish, now: Date) -> String {
        let range = "\(formatRFC3339(command.since)) to \(formatRFC3339(command.until ?? now))"
        let topics = command.topics.isEmpty ? "all its topics" : command.topics.joined(separator: ", ")
        var lines: [String] = []
        if command.dryRun {
            lines.append("\(definition.executableName): \(result.found) event(s) published from \(range) on \(topics) can be republished (dry run: nothing queued)")
        } else {
            lines.append("\(definition.executableName): \(result.queued) event(s) published from \(range) on \(topics) re-queued for publishing, in their original order")
            if result.found > result.queued {
                lines.append("  \(result.found - result.queued) more were still waiting in the outbox and were not queued twice")
            }
        }
        if let first = result.firstPublishedAt, let last = result.lastPublishedAt {
            lines.append("  first published \(formatRFC3339(first)), last \(formatRFC3339(last))")
        }
        if result.withoutPayload > 0 {
            lines.append("  \(result.withoutPayload) event(s) of the range were published before payloads were kept and cannot be republished")
        }
        if !command.dryRun && result.queued > 0 {
            lines.append("The running service's relay publishes them now; consumers' inboxes drop what they have applied already.")
        }
        return lines.joined(separator: "\n")
    }

    /// `<service> republish …`: reads the environment like the service, re-queues, prints what it did.
    static func runRepublish(_ definition: ServiceDefinition, _ command: ServiceCommand.Republish, logger: Logger) async -> Int32 {
        do {
            let configuration = try HostConfiguration(definition: definition, environment: .process)
            try DevelopmentRun.check(configuration, schema: definition.schema, environment: .process, logger: logger)
            let now = Date()
            let result = try await republish(definition, configuration: configuration, command: command, now: now, logger: logger)
            print(report(result, of: definition, command: command, now: now))
            return 0
        } catch {
            FileHandle.standardError.write(Data("\(definition.executableName) republish: \(error)\n".utf8))
            return 1
        }
    }
}
