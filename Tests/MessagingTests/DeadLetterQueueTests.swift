import Contracts
import Foundation
import Kafka
import Messaging
import Postgres
import TestSupport
import Testing

/// The dead-letter tool's work: a poison record goes to the dead-letter topic, is listed and shown with why and where
/// from, and once the cause is fixed a replay makes the consumer apply it, once.
@Suite("Dead letters: list, show, replay")
struct DeadLetterQueueTests {
    typealias Harness = EventConsumerTests.Harness

    /// A harness whose handler fails for `doomed#1` until the constraint that makes it fail is dropped.
    static func harnessWithAFailingHandler() async throws -> Harness {
        let harness = try await Harness.make()
        try await harness.schema.pool.query("""
            ALTER TABLE \(identifier: harness.schema.name).probe_effect ADD CONSTRAINT no_doomed CHECK (probe_id <> 'doomed#1')
            """)
        return harness
    }

    static func fixTheCause(_ harness: Harness) async throws {
        try await harness.schema.pool.query(
            "ALTER TABLE \(identifier: harness.schema.name).probe_effect DROP CONSTRAINT no_doomed")
    }

    /// Sends a sentinel after what went before on the harness's one partition, and waits until it is applied: the
    /// records before it are handled then.
    static func drain(_ harness: Harness) async throws -> Bool {
        let sentinel = uniqueName("sentinel")
        try await harness.send(try CloudEvent(payload: probe(sentinel, 1)))
        return await eventually(timeout: .seconds(60)) { (try? await harness.schema.effects()["\(sentinel)#1"]) == 1 }
    }

    @Test func aPoisonRecordIsListedShownAndAfterTheFixReplayedAndAppliedOnce() async throws {
        let harness = try await Self.harnessWithAFailingHandler()
        defer { Task { await harness.finish() } }
        let queue = DeadLetterQueue(kafka: try kafkaConfiguration(), logger: testLogger)
        let before = try CloudEvent(payload: probe("before", 1))
        let doomed = try CloudEvent(payload: probe("doomed", 1))
        for event in [before, doomed] { try await harness.send(event) }

        try await harness.running {
            #expect(await eventually(timeout: .seconds(60)) {
                (try? await queue.list(topic: harness.topic).count) == 1
            })
            let letters = try await queue.list(topic: harness.topic)
            let letter = try #require(letters.first)
            #expect(letter.topic == DeadLetterPublisher.topic(for: harness.topic))
            #expect(letter.reasonCode == DeadLetterReason.handlerFailed.rawValue)
            #expect(letter.reason?.contains("no_doomed") == true, "\(letter.reason ?? "")")
            #expect(letter.consumerGroup == harness.group)
            #expect(letter.originalTopic == harness.topic && letter.originalPartition == 0 && letter.originalOffset == 1)
            #expect(letter.eventID == doomed.id && letter.eventType == doomed.type && letter.eventSource == doomed.source)
            #expect(letter.failedAt.map { abs($0.timeIntervalSinceNow) < 300 } == true)
            let shown = try #require(try await queue.letters(topic: harness.topic, offsets: [letter.offset]).first)
            #expect(shown.record.value == doomed.data)
            #expect(shown.record.key == Array(doomed.partitionKey.utf8))
            #expect(Set(shown.record.headers.map(\.key)).isSuperset(of: ["ce_id", "ce_type", "ce_source", "dlq_reason_code"]))
            #expect(try await harness.schema.effects()["doomed#1"] == nil)

            // Replayed before the fix, it is dead-lettered again: nothing lost, nothing applied.
            #expect(await queue.replay([letter], using: harness.producer).allSatisfy(\.isReplayed))
            #expect(await eventually(timeout: .seconds(60)) { (try? await queue.list(topic: harness.topic).count) == 2 })
            #expect(try await harness.schema.effects()["doomed#1"] == nil)

            try await Self.fixTheCause(harness)
            let outcomes = await queue.replay([letter], using: harness.producer)
            #expect(outcomes.count == 1 && outcomes[0].isReplayed)
            if case .replayed(let report) = outcomes[0].result {
                #expect(report.topic == harness.topic)
            }
            #expect(await eventually(timeout: .seconds(60)) { (try? await harness.schema.effects()["doomed#1"]) == 1 })

            // An operator replays it again: the inbox knows the event.
            #expect(await queue.replay([letter], using: harness.producer).allSatisfy(\.isReplayed))
            #expect(try await Self.drain(harness))
            #expect(try await harness.schema.effects()["doomed#1"] == 1, "applied once")
            #expect(try await harness.schema.effects()["before#1"] == 1)
            #expect(try await queue.list(topic: harness.topic).count == 2, "no new dead letter after the fix")
        }
    }

    @Test func deadLettersOfOneRecordFromTwoGroupsAreReplayedOnceAndOnesWithoutAnOriginAreRefused() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        let queue = DeadLetterQueue(kafka: try kafkaConfiguration(), logger: testLogger)
        let event = try CloudEvent(payload: probe(uniqueName("twice"), 1))
        let original = KafkaMessage(
            topic: harness.topic, partition: 0, offset: 7, key: Array(event.partitionKey.utf8), value: event.data,
            headers: event.kafkaHeaders.map { KafkaHeader(key: $0.key, string: $0.value) })
        let publisher = DeadLetterPublisher(producer: harness.producer, logger: testLogger)
        for group in ["gbm-catalogue", "gbm-subsidy"] {
            try await publisher.publish(original, reason: .handlerFailed, detail: "test", consumerGroup: group)
        }
        // A record written to the dead-letter topic by hand: it says nowhere where it came from.
        _ = try await harness.producer.send(KafkaProducerRecord(
            topic: DeadLetterPublisher.topic(for: harness.topic), key: nil, value: Array("stray".utf8)))

        let letters = try await queue.list(topic: DeadLetterPublisher.topic(for: harness.topic))
        #expect(letters.map(\.consumerGroup) == ["gbm-catalogue", "gbm-subsidy", nil])
        let outcomes = await queue.replay(letters, using: harness.producer)
        #expect(outcomes[0].isReplayed)
        guard case .duplicate(let earlier) = outcomes[1].result else {
            Issue.record("the second group's dead letter was not recognised as the same record: \(outcomes[1].result)")
            return
        }
        #expect(earlier == letters[0].offset)
        guard case .failed(let reason) = outcomes[2].result else {
            Issue.record("a dead letter without an origin was replayed: \(outcomes[2].result)")
            return
        }
        #expect(reason.contains("dlq_original_topic"))
        let onTopic = try await KafkaTopicReader(configuration: try kafkaConfiguration(), logger: testLogger).read(topic: harness.topic)
        #expect(onTopic.count == 1, "one copy went back")
        #expect(onTopic.first?.headers.contains { $0.key.hasPrefix("dlq_") } == false, "without the dead-letter headers")
        #expect(onTopic.first?.headerString("ce_id") == event.id)
    }

    @Test func anOffsetWithNoRecordIsAnErrorAndNothingIsReplayed() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        let queue = DeadLetterQueue(kafka: try kafkaConfiguration(), logger: testLogger)
        await #expect(throws: DeadLetterError.notFound(
            topic: DeadLetterPublisher.topic(for: harness.topic), partition: 0, offset: 3)) {
            try await queue.letters(topic: harness.topic, offsets: [3])
        }
        await #expect(throws: KafkaError.self) { try await queue.list(topic: uniqueName("absent")) }
    }
}
