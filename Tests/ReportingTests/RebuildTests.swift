import Contracts
import Foundation
import HummingbirdTesting
import Kafka
import Logging
import Messaging
import ServiceHost
import ServiceTestSupport
import TestSupport
import Testing
@testable import Reporting

@Suite("Reporting projections from the real topics, rebuilt")
struct RebuildTests {
    /// The scripted campaign goes onto the topics (some events twice, an unknown type among them); the live consumer
    /// builds the projections; `rebuild` empties them and replays the topics from their first offsets; every
    /// figure of the region, per day and cumulative, is the same as live.
    @Test func theRebuiltProjectionsEqualTheLiveOnes() async throws {
        let harness = try await ReportingHarness.make()
        let env = try TestEnvironment.current()
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(
                bootstrapServers: env.kafkaBrokers, clientID: "reporting-tests",
                sessionTimeoutMs: env.kafkaSessionTimeoutMs, fetchWaitMaxMs: env.kafkaFetchWaitMaxMs,
                properties: ["message.timeout.ms": "10000"]),
            logger: Logger(label: "reporting-tests"))
        let script = CampaignScript()
        var unknown = Sample.event(RegionReportReminderSent.example)
        unknown.type = "gbm.pilot.region.renamed.v9"
        unknown.subject = script.region
        unknown.time = Sample.noon("2023-11-16")
        for event in script.events + Array(script.events.prefix(5)) + [unknown] {
            let topic = event.eventType?.topic.name ?? Topic.pilotRegions.name
            _ = try await producer.send(KafkaProducerRecord(event: event, topic: topic))
        }
        try await harness.host.application(withServices: true).test(.router) { raw in
            let client = ReportingClient(client: harness.host.checkingContract(raw))
            func snapshot() async throws -> [String] {
                var lines: [String] = []
                let overview = try await client.get("/overview?regionCode=\(script.region)&on=2023-12-31", token: Tokens.ministry())
                // The feed's counter moves on while the replay applies its events again; the figures must not.
                lines.append(overview.text.replacingOccurrences(of: #","feedPosition":[0-9]+"#, with: "", options: .regularExpression))
                for metric in Metric.allCases where metric != .eventsIgnored {
                    let series = try await client.get(
                        "/projections/\(metric.rawValue)?regionCode=\(script.region)", token: Tokens.ministry())
                    lines.append(series.text)
                }
                return lines
            }
            let caughtUp = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
                guard let overview = try? await client.get("/overview?regionCode=\(script.region)&on=2023-11-20", token: Tokens.ministry()),
                      let ignored = try? await client.get("/projections/events.ignored", token: Tokens.ministry())
                else { return false }
                let entries = overview.entries
                return CampaignScript.expectedOverview.allSatisfy { entries[$0.key] == $0.value }
                    && (ignored.totals["gbm.pilot.region.renamed.v9"] ?? 0) >= 1
            }
            #expect(caughtUp, "the live consumer applied the topics: exact figures with duplicates, the unknown type counted")
            let live = try await snapshot()

            let rebuilt = try await harness.host.rebuild(pageSize: 7)
            // Every record sent: the script, five of its events again and the unknown type (other tests may add more).
            #expect(rebuilt.records >= script.events.count + 5 + 1)
            let replayed = try await snapshot()
            #expect(replayed == live)
        }
        await producer.shutdown()
    }
}
