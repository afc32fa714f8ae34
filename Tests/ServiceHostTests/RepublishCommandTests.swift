import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import Reporting
@testable import ServiceHost
import ServiceKit
import TestSupport
import Testing

/// `<service> republish`: the command line, and what it does to a service's outbox.
@Suite struct RepublishCommandTests {
    static func parse(_ arguments: String...) throws -> any ParsableCommand {
        try ServiceCommand.parseAsRoot(arguments)
    }

    @Test func noArgumentsServesAndRepublishTakesRFC3339TimesAndTopics() throws {
        #expect(try Self.parse() is ServiceCommand.Serve)
        #expect(try Self.parse("serve") is ServiceCommand.Serve)
        let command = try #require(try Self.parse(
            "republish", "--since", "2025-03-01T08:00:00+08:00", "--until", "2025-03-01T01:30:00.5Z",
            "--topic", "gbm.reporting.reports.v1", "--dry-run") as? ServiceCommand.Republish)
        #expect(command.since == ISO8601DateFormatter().date(from: "2025-03-01T00:00:00Z"))
        #expect(command.until == ISO8601DateFormatter().date(from: "2025-03-01T01:30:00Z")!.addingTimeInterval(0.5))
        #expect(command.topics == ["gbm.reporting.reports.v1"])
        #expect(command.dryRun)
        let open = try #require(try Self.parse("republish", "--since", "2025-03-01T00:00:00Z") as? ServiceCommand.Republish)
        #expect(open.until == nil && open.topics.isEmpty && !open.dryRun)
    }

    @Test func aTimeWithoutAZoneAMissingSinceAndAnEmptyRangeAreRefused() {
        for arguments in [
            ["republish", "--since", "2025-03-01 08:00"], ["republish", "--since", "2025-03-01T08:00:00"],
            ["republish"], ["republish", "--since", "2025-03-02T00:00:00Z", "--until", "2025-03-01T00:00:00Z"],
            ["republish", "--since", "2025-03-01T00:00:00Z", "--until", "2025-03-01T00:00:00Z"], ["publish"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { try ServiceCommand.parseAsRoot(arguments) }
        }
        do {
            _ = try ServiceCommand.parseAsRoot(["republish", "--since", "yesterday"])
        } catch {
            #expect(ServiceCommand.message(for: error).contains("RFC 3339"), "\(ServiceCommand.message(for: error))")
        }
    }

    /// The service executable itself: help names the commands, a bad time is a usage error (64), and a dry run
    /// with the service's environment reports what it found.
    @Test func theExecutableHelpsRefusesBadArgumentsAndRunsADryRun() async throws {
        let env = try TestEnvironment.current()
        // The reporting schema at the current migration, as a started service leaves it.
        let host = try await ServiceHost.assemble(
            ReportingService.definition, configuration: try hostConfiguration(for: ReportingService.definition))
        await host.context.pool.close()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("reporting")
        func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> (Int32, String) {
            let run = try await runProgram(
                executable, arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { $1 })
            return (run.status, run.output + run.errors)
        }
        let help = try await run(["--help"])
        #expect(help.0 == 0 && help.1.contains("republish") && help.1.contains("serve (default)"), "\(help.1)")
        let bad = try await run(["republish", "--since", "yesterday"])
        #expect(bad.0 == 64 && bad.1.contains("RFC 3339"), "\(bad.1)")
        let dry = try await run(["republish", "--since", "2025-01-01T00:00:00Z", "--dry-run"], [
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort), "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_PASSWORD": env.servicePassword(schema: "reporting"), "GBM_DEVELOPMENT": "true", "GBM_LOG_LEVEL": "error",
        ])
        #expect(dry.0 == 0 && dry.1.contains("can be republished (dry run: nothing queued)"), "\(dry.1)")
        // The log format is read before anything logs: a wrong one stops the start with EX_CONFIG, naming it.
        let xml = try await run(["--help"], ["GBM_LOG_FORMAT": "xml"])
        #expect(xml.0 == 78 && xml.1.contains("GBM_LOG_FORMAT must be text or json"), "\(xml.1)")
        #expect(try await run(["--help"], ["GBM_LOG_FORMAT": "json"]).0 == 0)
    }

    /// On a service's schema: the range's events go back into the outbox, in order; a topic the service does not
    /// publish is refused.
    @Test func republishRequeuesTheServicesRetainedEventsOfTheRange() async throws {
        let env = try TestEnvironment.current()
        var definition = ReportingService.definition
        definition.schema = uniqueName("republish")
        var configuration = try hostConfiguration(for: ReportingService.definition)
        configuration.postgres = PostgresConfiguration(
            host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
            user: env.postgresAdminUser, password: env.postgresAdminPassword, searchPath: definition.schema)
        let pool = PostgresPool(configuration: configuration.postgres, logger: Logger(label: "test"))
        try await PostgresMigrator(schema: definition.schema, migrations: definition.allMigrations, logger: Logger(label: "test"))
            .migrate(pool)
        let schema = definition.schema
        defer { Task { _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE"); await pool.close() } }
        let topic = Topic.reportingReports.name
        for (id, event, published) in [(10, "e-10", "2025-03-01T00:10:00Z"), (11, "e-11", "2025-03-01T00:20:00Z"),
                                       (12, "e-12", "2025-03-02T00:00:00Z")] {
            try await pool.query("""
                INSERT INTO \(identifier: definition.schema).outbox_published
                    (id, topic, partition_key, ce_id, ce_type, ce_source, ce_time, created_at, published_at)
                VALUES (\(id), \(topic), 'r-1', \(event), 'gbm.reporting.report.submitted.v1', '/gbm/reporting',
                    now(), now(), \(published)::timestamptz)
                """)
            try await pool.query("INSERT INTO \(identifier: definition.schema).outbox_payload (id, payload) VALUES (\(id), '{}')")
        }
        let command = try #require(try ServiceCommand.parseAsRoot(
            ["republish", "--since", "2025-03-01T08:00:00+08:00", "--until", "2025-03-01T09:00:00+08:00"]) as? ServiceCommand.Republish)
        let result = try await ServiceHost.republish(definition, configuration: configuration, command: command, logger: Logger(label: "test"))
        #expect(result.found == 2 && result.queued == 2)
        let queued = try await pool.query("""
            SELECT ce_id, republished_from FROM \(identifier: definition.schema).outbox ORDER BY id
            """).rows.map { (try $0.decode("ce_id", as: String.self), try $0.decode("republished_from", as: Int64.self)) }
        #expect(queued.map(\.0) == ["e-10", "e-11"] && queued.map(\.1) == [10, 11])
        let report = ServiceHost.report(result, of: definition, command: command, now: Date())
        #expect(report.contains("reporting: 2 event(s) published from 2025-03-01T00:00:00Z to 2025-03-01T01:00:00Z"), "\(report)")

        let foreign = try #require(try ServiceCommand.parseAsRoot(
            ["republish", "--since", "2025-03-01T00:00:00Z", "--topic", Topic.catalogueCertificates.name]) as? ServiceCommand.Republish)
        await #expect(throws: RepublishError.self) {
            try await ServiceHost.republish(definition, configuration: configuration, command: foreign, logger: Logger(label: "test"))
        }
    }
}
