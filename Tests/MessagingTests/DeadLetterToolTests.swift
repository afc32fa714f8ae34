import Contracts
import Foundation
import Messaging
import TestSupport
import Testing

/// `gbm-dlq`, the executable, against the real broker: a poison record goes to the dead-letter topic, the tool lists
/// and shows it, and after the cause is fixed replays it; the consumer applies it once.
@Suite("gbm-dlq")
struct DeadLetterToolTests {
    struct ToolMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: build every product (swift build --build-tests)" }
    }

    /// Runs the `gbm-dlq` the build put beside the test bundle, with the test infrastructure's Kafka settings.
    static func gbmDLQ(_ arguments: String...) async throws -> ProgramRun {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = directory.appendingPathComponent("gbm-dlq")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ToolMissing(path: executable.path)
        }
        let env = try TestEnvironment.current()
        var environment = ProcessInfo.processInfo.environment
        environment["GBM_KAFKA_BROKERS"] = env.kafkaBrokers
        environment["GBM_LOG_LEVEL"] = "error"
        return try await runProgram(executable, arguments, environment: environment)
    }

    @Test func listsShowsAndAfterTheFixReplaysAPoisonRecordWhichTheConsumerThenAppliesOnce() async throws {
        let harness = try await DeadLetterQueueTests.harnessWithAFailingHandler()
        defer { Task { await harness.finish() } }
        let doomed = try CloudEvent(payload: probe("doomed", 1))
        try await harness.send(try CloudEvent(payload: probe("fine", 1)))
        try await harness.send(doomed)
        let dlq = DeadLetterPublisher.topic(for: harness.topic)

        try await harness.running {
            let queue = DeadLetterQueue(kafka: try kafkaConfiguration(), logger: testLogger)
            #expect(await eventually(timeout: .seconds(60)) { (try? await queue.list(topic: dlq).count) == 1 })

            let list = try await Self.gbmDLQ("list", harness.topic)
            #expect(list.status == 0, "\(list.errors)")
            #expect(list.output.contains("\(dlq): 1 dead letter(s) listed"), "\(list.output)")
            for expected in ["0:0", "\(harness.topic)[0]@1", harness.group, "handler-failed", doomed.type, doomed.id, "no_doomed"] {
                #expect(list.output.contains(expected), "list shows \(expected): \(list.output)")
            }
            let json = try await Self.gbmDLQ("list", dlq, "--json", "--reason-code", "handler-failed")
            let line = try #require(json.output.split(separator: "\n").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["eventId"] as? String == doomed.id)
            #expect(object["originalOffset"] as? Int == 1)
            #expect(object["consumerGroup"] as? String == harness.group)
            #expect(try await Self.gbmDLQ("list", dlq, "--json", "--group", "someone-else").output.isEmpty)

            let show = try await Self.gbmDLQ("show", harness.topic, "--offset", "0")
            #expect(show.status == 0, "\(show.errors)")
            for expected in ["reason code      handler-failed", "original         \(harness.topic)[0]@1",
                             "ce_id: \(doomed.id)", "dlq_consumer_group: \(harness.group)", "payload (", "\"doomed\""] {
                #expect(show.output.contains(expected), "show has \(expected): \(show.output)")
            }

            // Failure paths: no record at the offset, no choice of records, an unknown topic; nothing is replayed.
            let missing = try await Self.gbmDLQ("replay", harness.topic, "--offset", "5")
            #expect(missing.status != 0)
            #expect(missing.errors.contains("has no record at offset 5"), "\(missing.errors)")
            let unchosen = try await Self.gbmDLQ("replay", harness.topic)
            #expect(unchosen.status == 64 && unchosen.errors.contains("exactly one of"), "\(unchosen.errors)")
            #expect(try await Self.gbmDLQ("list", uniqueName("absent")).status != 0)
            #expect(try await harness.schema.effects()["doomed#1"] == nil)

            try await DeadLetterQueueTests.fixTheCause(harness)
            let dry = try await Self.gbmDLQ("replay", harness.topic, "--all", "--dry-run")
            #expect(dry.output.contains("would replay 0:0 -> \(harness.topic)"), "\(dry.output)")
            let replay = try await Self.gbmDLQ("replay", harness.topic, "--offset", "0")
            #expect(replay.status == 0, "\(replay.errors)")
            #expect(replay.output.contains("replayed 0:0 \(doomed.type) \(doomed.id) -> \(harness.topic)[0]@"), "\(replay.output)")
            #expect(replay.output.contains("1 replayed, 0 skipped as duplicates, 0 failed"))
            #expect(await eventually(timeout: .seconds(60)) { (try? await harness.schema.effects()["doomed#1"]) == 1 })

            // Replayed once more (--from/--to): the consumer's inbox drops it.
            #expect(try await Self.gbmDLQ("replay", dlq, "--from", "0", "--to", "0").status == 0)
            #expect(try await DeadLetterQueueTests.drain(harness))
            #expect(try await harness.schema.effects()["doomed#1"] == 1, "applied once")
            #expect(try await queue.list(topic: dlq).count == 1, "and not dead-lettered again")
        }
    }
}
