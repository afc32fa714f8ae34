import Contracts
import Foundation
import Kafka
import Messaging
import Postgres
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@Suite("Event consumer: inbox, dead letters, shutdown")
struct EventConsumerTests {
    /// A consumer of one fresh topic into a fresh schema, run in a ServiceGroup so that graceful shutdown is real.
    struct Harness {
        let schema: TestSchema
        let topic: String
        let group: String
        /// Sends the test's records.
        let producer: KafkaProducer
        /// Sends the consumer's dead letters: the same producer unless the test gave it properties of its own.
        let deadLetterProducer: KafkaProducer

        /// - Parameters:
        ///   - schema: the schema to apply to (on a private cluster, say); a fresh one on the shared cluster by default.
        ///   - deadLetterTopic: whether to create the topic's dead-letter topic.
        ///   - producerProperties: librdkafka properties of the producer that sends dead letters (the test's own records
        ///     go through a producer with the usual settings, so that a short `message.timeout.ms` meant for dead
        ///     letters cannot fail the test's set-up on a busy broker).
        static func make(
            partitions: Int = 1, schema: TestSchema? = nil, deadLetterTopic: Bool = true,
            producerProperties: [String: String] = [:]
        ) async throws -> Harness {
            let topic = uniqueName("gbm.test.probes")
            try await createTopic(topic, partitions: partitions)
            if deadLetterTopic { try await createTopic(DeadLetterPublisher.topic(for: topic)) }
            let producer = try KafkaProducer(configuration: try kafkaConfiguration(), logger: testLogger)
            var deadLetterProducer = producer
            if !producerProperties.isEmpty {
                var kafka = try kafkaConfiguration()
                kafka.properties.merge(producerProperties) { $1 }
                deadLetterProducer = try KafkaProducer(configuration: kafka, logger: testLogger)
            }
            let chosen: TestSchema
            if let schema { chosen = schema } else { chosen = try await TestSchema.make() }
            return Harness(
                schema: chosen, topic: topic, group: uniqueName("group"), producer: producer,
                deadLetterProducer: deadLetterProducer)
        }

        func consumer(handlers: [EventHandler]? = nil) throws -> EventConsumer {
            var configuration = EventConsumer.Configuration(groupID: group, topics: [topic])
            configuration.maxAttempts = 3
            configuration.initialBackoff = .milliseconds(10)
            configuration.maxOutageBackoff = .milliseconds(500)
            return EventConsumer(
                configuration: configuration, kafka: try kafkaConfiguration(), pool: schema.pool, schema: schema.name,
                handlers: handlers ?? [probeHandler(schema: schema.name)],
                deadLetters: DeadLetterPublisher(producer: deadLetterProducer, logger: testLogger), logger: testLogger)
        }

        /// Runs `consumer` (a new one by default) until `body` returns, then shuts it down gracefully.
        func running<Result>(_ consumer: EventConsumer? = nil, _ body: () async throws -> Result) async throws -> Result {
            let serviceGroup = ServiceGroup(services: [try consumer ?? self.consumer()], logger: testLogger)
            let task = Task { try await serviceGroup.run() }
            do {
                let result = try await body()
                await serviceGroup.triggerGracefulShutdown()
                try await task.value
                return result
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                _ = try? await task.value
                throw error
            }
        }

        func send(_ event: CloudEvent) async throws {
            _ = try await producer.send(KafkaProducerRecord(event: event, topic: topic))
        }

        func send(raw value: [UInt8], headers: [KafkaHeader], key: String) async throws {
            _ = try await producer.send(KafkaProducerRecord(topic: topic, key: Array(key.utf8), value: value, headers: headers))
        }

        func finish() async {
            await producer.shutdown()
            if deadLetterProducer !== producer { await deadLetterProducer.shutdown() }
            await schema.drop()
        }

        /// The first message a plain member of the consumer's group reads: where the consumer committed.
        func firstMessageForTheGroup() async throws -> KafkaMessage? {
            let raw = try KafkaConsumer(
                configuration: try kafkaConfiguration(), groupID: group, topics: [topic], logger: testLogger)
            var iterator = raw.messages.makeAsyncIterator()
            let first = await iterator.next()
            await raw.close()
            return first
        }

        /// How many events the inbox holds.
        func inboxCount() async throws -> Int? {
            try await schema.pool.query("SELECT count(*)::int8 AS n FROM \(identifier: schema.name).inbox")
                .first?.decode("n", as: Int.self)
        }

        /// The dead letters on the topic's dead-letter topic up to and including a sentinel sent now: the
        /// consumer handles one partition in order, so whatever it dead-lettered before the sentinel is there.
        func deadLettersUpToSentinel() async throws -> [KafkaMessage] {
            let sentinel = Array(uniqueName("sentinel").utf8)
            try await send(raw: sentinel, headers: [], key: "sentinel")
            let dead = try await collect(topic: DeadLetterPublisher.topic(for: topic)) { all in
                all.contains { $0.value == sentinel }
            }
            #expect(dead.last?.value == sentinel, "the sentinel was dead-lettered")
            return Array(dead.dropLast())
        }
    }

    @Test func theSameEventDeliveredTwiceChangesStateOnce() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        let event = try CloudEvent(payload: probe("twice", 1))
        let other = try CloudEvent(payload: probe("twice", 2))
        try await harness.send(event)
        try await harness.send(event)
        try await harness.send(other)
        // A later event on the same partition: once it is applied, the consumer is past every copy before it.
        try await harness.send(try CloudEvent(payload: probe("twice", 99)))
        let effects = try await harness.running {
            #expect(await eventually { (try? await harness.schema.effects()["twice#99"]) == 1 })
            return try await harness.schema.effects()
        }
        #expect(effects == ["twice#1": 1, "twice#2": 1, "twice#99": 1])
        let inbox = try await harness.schema.pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: harness.schema.name).inbox")
        #expect(try inbox.first?.decode("n", as: Int.self) == 3)
    }

    @Test func writesDeferredToTheEndOfABatchAreMadeOnceForItAndRolledBackWithIt() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        enum Deferred {}
        let flushes = Mutex(0)
        let schema = harness.schema.name
        // Each probe's effect is deferred to its transaction's end (ProbeSent 50 cannot be applied): written by
        // one statement per transaction, and gone with a transaction that fails.
        let handler = EventHandler.on(ProbeSent.self) { probe, _, _ in
            guard probe.note != "poison" else { throw PermanentEventError(reason: "poison") }
            guard let batch = EventBatch.current else { throw PermanentEventError(reason: "no batch is open") }
            batch.append([probe.id + "#" + String(probe.sequence)], for: Deferred.self) { connection, ids in
                flushes.withLock { $0 += 1 }
                try await connection.query("""
                    INSERT INTO \(identifier: schema).probe_effect (probe_id, applied) SELECT unnest(\(ids)::text[]), 1
                    ON CONFLICT (probe_id) DO UPDATE SET applied = probe_effect.applied + 1
                    """)
            }
        }
        // First 60 good ones, read by a consumer started after they were sent: batches.
        for sequence in Int64(1)...60 { try await harness.send(try CloudEvent(payload: probe("deferred", sequence))) }
        try await harness.running(try harness.consumer(handlers: [handler])) {
            #expect(await eventually { (try? await harness.schema.effects()["deferred#60"]) == 1 })
        }
        let batched = flushes.withLock { $0 }
        #expect(batched < 60, "batches were written together (\(batched) statements for 60 events)")
        // Then a batch with the poison in it: applied one at a time, the poison dead-lettered, and nothing the failed
        // batch deferred was written.
        for sequence in Int64(61)...100 {
            try await harness.send(try CloudEvent(payload: probe("deferred", sequence, note: sequence == 80 ? "poison" : "test")))
        }
        let (effects, dead) = try await harness.running(try harness.consumer(handlers: [handler])) {
            #expect(await eventually { (try? await harness.schema.effects()["deferred#100"]) == 1 })
            return (try await harness.schema.effects(), try await harness.deadLettersUpToSentinel())
        }
        #expect(effects.count == 99 && effects.values.allSatisfy { $0 == 1 }, "every probe but the poison once: \(effects.filter { $0.value != 1 })")
        #expect(effects["deferred#80"] == nil)
        #expect(dead.count == 1, "the poison alone was dead-lettered")
    }

    @Test func aBatchMixingRedeliveredAndNewEventsAppliesEachNewOneOnce() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        let first = try CloudEvent(payload: probe("mixed", 1))
        try await harness.send(first)
        try await harness.running {
            _ = await eventually { (try? await harness.schema.effects().count) == 1 }
        }
        // The consumer is stopped, so the next run reads these four in one batch: a redelivery of an event the
        // inbox already has, a new event twice, and another new one.
        let second = try CloudEvent(payload: probe("mixed", 2))
        let third = try CloudEvent(payload: probe("mixed", 3))
        // A later event on the same partition marks the end: once it is applied, so is (or was skipped) all before.
        let marker = try CloudEvent(payload: probe("mixed", 99))
        for event in [first, second, second, third, marker] { try await harness.send(event) }
        let effects = try await harness.running {
            #expect(await eventually { (try? await harness.schema.effects()["mixed#99"]) == 1 })
            return try await harness.schema.effects()
        }
        #expect(effects == ["mixed#1": 1, "mixed#2": 1, "mixed#3": 1, "mixed#99": 1])
        let inbox = try await harness.schema.pool.query("""
            SELECT ce_id, kafka_offset FROM \(identifier: harness.schema.name).inbox ORDER BY kafka_offset
            """).rows.map { (try $0.decode("ce_id", as: String.self), try $0.decode("kafka_offset", as: Int64.self)) }
        #expect(inbox.map(\.0) == [first.id, second.id, third.id, marker.id])
        #expect(inbox.map(\.1) == [0, 2, 4, 5], "each inbox row names the offset of the copy that was applied")
    }

    @Test func poisonMessagesGoToTheDeadLetterTopicWithTheReasonAndTheNextOneIsProcessed() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        let good = try CloudEvent(payload: probe("after-poison", 1))
        var unknownType = good
        unknownType.type = "gbm.nowhere.thing.happened.v1"
        unknownType.id = "unknown-type"
        var missingID = good.kafkaHeaders.filter { $0.key != "ce_id" }.map { KafkaHeader(key: $0.key, string: $0.value) }
        missingID.append(KafkaHeader(key: "x-test", string: "missing-id"))
        var badPayload = try CloudEvent(payload: probe("bad-payload", 1))
        badPayload.data = Array(#"{"id": 42}"#.utf8)

        try await harness.send(raw: [0xde, 0xad, 0xbe, 0xef], headers: [], key: "garbage")
        try await harness.send(unknownType)
        try await harness.send(raw: good.data, headers: missingID, key: "missing-id")
        try await harness.send(badPayload)
        try await harness.send(good)

        let effects = try await harness.running {
            _ = await eventually { (try? await harness.schema.effects()["after-poison#1"]) != nil }
            return try await harness.schema.effects()
        }
        #expect(effects == ["after-poison#1": 1])
        let dead = try await collect(topic: DeadLetterPublisher.topic(for: harness.topic)) { $0.count >= 4 }
        #expect(dead.count == 4)
        let reasons = dead.map { $0.headerString(DeadLetterPublisher.reasonHeader) ?? "" }
        #expect(reasons[0].contains("not a CloudEvent"))
        #expect(reasons[1].contains("unknown event type gbm.nowhere.thing.happened.v1"))
        #expect(reasons[2].contains("ce_id"))
        #expect(reasons[3].contains("payload does not match"))
        let codes = dead.map { $0.headerString(DeadLetterPublisher.reasonCodeHeader) }
        #expect(codes == ["not-a-cloudevent", "unknown-event-type", "not-a-cloudevent", "rejected"])
        for message in dead {
            #expect(message.headerString(DeadLetterPublisher.topicHeader) == harness.topic)
            #expect(message.headerString(DeadLetterPublisher.groupHeader) == harness.group)
            #expect(message.headerString(DeadLetterPublisher.offsetHeader) != nil)
            #expect(message.headerString(DeadLetterPublisher.partitionHeader) == "0")
        }
        #expect(dead[0].value == [0xde, 0xad, 0xbe, 0xef], "the dead letter keeps the original bytes")
    }

    @Test func aHandlerThatKeepsFailingIsRetriedThenDeadLetteredAndTheConsumerCarriesOn() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        // The handler's table is gone for this one probe id: a constraint makes its insert fail every time.
        try await harness.schema.pool.query("""
            ALTER TABLE \(identifier: harness.schema.name).probe_effect
            ADD CONSTRAINT no_doomed CHECK (probe_id <> 'doomed#1')
            """)
        try await harness.send(try CloudEvent(payload: probe("doomed", 1)))
        try await harness.send(try CloudEvent(payload: probe("survivor", 1)))
        let effects = try await harness.running {
            _ = await eventually { (try? await harness.schema.effects()["survivor#1"]) != nil }
            return try await harness.schema.effects()
        }
        #expect(effects == ["survivor#1": 1])
        let dead = try await collect(topic: DeadLetterPublisher.topic(for: harness.topic)) { $0.count >= 1 }
        #expect(dead.first?.headerString(DeadLetterPublisher.reasonHeader)?.contains("handler failed 3 times") == true)
        let inbox = try await harness.schema.pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: harness.schema.name).inbox")
        #expect(try inbox.first?.decode("n", as: Int.self) == 1, "the failed event left no inbox row")
    }

    @Test func gracefulShutdownCommitsOffsetsSoARestartResumesAfterTheLastProcessedMessage() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        for sequence in 1...10 { try await harness.send(try CloudEvent(payload: probe("resume", Int64(sequence)))) }
        try await harness.running {
            _ = await eventually { (try? await harness.schema.effects().count) == 10 }
        }
        #expect(try await harness.schema.effects().count == 10)
        for sequence in 11...15 { try await harness.send(try CloudEvent(payload: probe("resume", Int64(sequence)))) }
        // A plain member of the same group starts where the consumer committed: right after message 10.
        let first = try await harness.firstMessageForTheGroup()
        #expect(first?.offset == 10)
        // And a restarted consumer applies only the new ones.
        try await harness.running {
            _ = await eventually { (try? await harness.schema.effects().count) == 15 }
        }
        let effects = try await harness.schema.effects()
        #expect(effects.count == 15)
        #expect(effects.values.allSatisfy { $0 == 1 })
    }

    @Test func anEventWhoseSourceIsNotTheOwnerOfItsTopicIsDeadLetteredAsUnexpectedSourceAndNotApplied() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.finish() } }
        // Probes belong to reporting's topic: the catalogue service cannot have sent one.
        let forged = try CloudEvent(source: ServiceName.catalogue.eventSource, payload: probe("forged", 1))
        let genuine = try CloudEvent(payload: probe("genuine", 1))
        try await harness.send(forged)
        try await harness.send(genuine)
        let (effects, dead) = try await harness.running {
            _ = await eventually { (try? await harness.schema.effects()["genuine#1"]) != nil }
            return (try await harness.schema.effects(), try await harness.deadLettersUpToSentinel())
        }
        #expect(effects == ["genuine#1": 1])
        #expect(dead.count == 1)
        #expect(dead.first?.headerString(DeadLetterPublisher.reasonCodeHeader) == "unexpected-source")
        #expect(dead.first?.headerString(DeadLetterPublisher.reasonHeader)?.contains("/gbm/catalogue") == true)
        #expect(dead.first?.headerString("ce_id") == forged.id, "the dead letter keeps the original headers")
        #expect(try await harness.inboxCount() == 1, "the forged event left no inbox row")
    }

    @Test func aDatabaseOutageWhileEventsArrivePausesTheConsumerThenAppliesEveryEventOnceAndDeadLettersNone()
        async throws
    {
        // A cluster of its own: stopping the shared one would fail every other test running meanwhile.
        let server = try LocalPostgresServer()
        defer { server.destroy() }
        let harness = try await Harness.make(schema: try await TestSchema.make(on: server.superuserPool()))
        defer { Task { await harness.finish() } }
        let consumer = try harness.consumer()
        let (effects, dead) = try await harness.running(consumer) {
            for sequence in 1...5 { try await harness.send(try CloudEvent(payload: probe("outage", Int64(sequence)))) }
            #expect(await eventually { (try? await harness.schema.effects().count) == 5 })
            try server.stop()
            for sequence in 6...25 { try await harness.send(try CloudEvent(payload: probe("outage", Int64(sequence)))) }
            #expect(await eventually { consumer.health == .waitingForDatabase }, "the consumer noticed the outage")
            // Down for longer than every timeout: the pool's connect and acquire timeouts (2 s), the consumer's
            // handler retries (3, tens of milliseconds apart) and its longest outage back-off.
            try await Task.sleep(for: .seconds(30))
            #expect(consumer.health == .waitingForDatabase)
            try server.start()
            #expect(await eventually(timeout: .seconds(60)) { (try? await harness.schema.effects().count) == 25 })
            #expect(await eventually { consumer.health == .healthy })
            return (try await harness.schema.effects(), try await harness.deadLettersUpToSentinel())
        }
        #expect(effects == Dictionary(uniqueKeysWithValues: (1...25).map { ("outage#\($0)", 1) }))
        #expect(dead.isEmpty, "nothing was dead-lettered for the outage")
        #expect(try await harness.inboxCount() == 25)
    }

    @Test func aDeadLetterTopicThatCannotBeWrittenPausesTheConsumerAndReportsItNotHealthyUntilItCanBe() async throws {
        // No dead-letter topic, and dead letters that give up after 1.5 s a try.
        let harness = try await Harness.make(
            deadLetterTopic: false,
            producerProperties: ["message.timeout.ms": "1500", "topic.metadata.refresh.interval.ms": "500"])
        defer { Task { await harness.finish() } }
        let poison: [UInt8] = [0xba, 0xad]
        try await harness.send(raw: poison, headers: [], key: "poison")
        try await harness.send(try CloudEvent(payload: probe("behind-poison", 1)))
        let consumer = try harness.consumer()
        try await harness.running(consumer) {
            #expect(await eventually(timeout: .seconds(60)) { consumer.health == .deadLetterTopicUnavailable })
            // The consumer is held at the poison message (one partition, in order): the next one is not applied.
            #expect(try await harness.schema.effects().isEmpty)
            try await createTopic(DeadLetterPublisher.topic(for: harness.topic))
            #expect(await eventually(timeout: .seconds(60)) { (try? await harness.schema.effects().count) == 1 })
            #expect(await eventually { consumer.health == .healthy })
        }
        let dead = try await collect(topic: DeadLetterPublisher.topic(for: harness.topic)) { $0.count >= 1 }
        #expect(dead.map(\.value) == [poison])
        // Both offsets were stored once done: a plain member of the group starts after them.
        try await harness.send(try CloudEvent(payload: probe("behind-poison", 2)))
        let first = try await harness.firstMessageForTheGroup()
        #expect(first?.offset == 2)
    }
}
