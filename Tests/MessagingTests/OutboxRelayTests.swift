import Contracts
import Foundation
import Kafka
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("Outbox relay")
struct OutboxRelayTests {
    @Test func publishesCommittedEventsAndNeverRolledBackOnes() async throws {
        let (schema, producer, relay) = try await relayOnFreshSchema()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let tag = uniqueName("commit")
        let committed = try await schema.appendRolledBackThenCommitted(tag: tag)
        #expect(try await relay.publishBatch() == 1)
        #expect(try await relay.publishBatch() == 0)
        let messages = try await collect(topic: Topic.platformProbes.name) { all in
            all.contains { $0.headerString("ce_id") == committed.id }
        }
        let mine = messages.filter { String(decoding: $0.key ?? [], as: UTF8.self).hasPrefix(tag) }
        #expect(mine.map { String(decoding: $0.key ?? [], as: UTF8.self) } == [tag + "-committed"])
        let event = try CloudEvent(message: try #require(mine.first))
        #expect(event == committed)
        let unpublished = try await schema.pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox")
        #expect(try unpublished.first?.decode("n", as: Int.self) == 0)
        let audit = try await schema.pool.query("""
            SELECT ce_id, ce_type, topic, partition_key, published_at >= created_at AS ordered
            FROM \(identifier: schema.name).outbox_published
            """).rows
        #expect(audit.count == 1, "one audit row, for the committed event only")
        #expect(try audit.first?.decode("ce_id", as: String.self) == committed.id)
        #expect(try audit.first?.decode("ce_type", as: String.self) == committed.type)
        #expect(try audit.first?.decode("topic", as: String.self) == Topic.platformProbes.name)
        #expect(try audit.first?.decode("partition_key", as: String.self) == committed.partitionKey)
        #expect(try audit.first?.decode("ordered", as: Bool.self) == true)
    }

    @Test func auditRowsOutlivingTheRetentionAreDeletedAndYoungerOnesKept() async throws {
        let (schema, producer, relay) = try await relayOnFreshSchema()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let old = try await schema.pool.transaction { try await schema.outbox.append(probe(uniqueName("old"), 1), on: $0) }
        let young = try await schema.pool.transaction { try await schema.outbox.append(probe(uniqueName("young"), 1), on: $0) }
        #expect(try await relay.publishBatch() == 2)
        try await schema.pool.query("""
            UPDATE \(identifier: schema.name).outbox_published SET published_at = published_at - interval '8 days'
            WHERE ce_id = \(old.id)
            """)
        try await relay.deletePublished()
        let left = try await schema.pool.query("SELECT ce_id FROM \(identifier: schema.name).outbox_published").rows
        #expect(try left.map { try $0.decode("ce_id", as: String.self) } == [young.id], "seven days' retention by default")
    }

    @Test func theMigrationMovesAlreadyPublishedEventsToTheAuditAndKeepsPendingOnes() async throws {
        // As the service role that owns the schema, which is what runs a service's migrations.
        let role = try await ServiceRole.make(maxConnections: 2)
        let (name, pool) = (role.schema, role.pool)
        defer { Task { await role.drop() } }
        // The schema as it was before version 3, with one event sent and one waiting.
        try await PostgresMigrator(schema: name, migrations: Array(MessagingMigrations.all.prefix(2)), logger: testLogger)
            .migrate(pool)
        try await pool.query("""
            INSERT INTO \(identifier: name).outbox (topic, partition_key, ce_id, ce_type, ce_source, ce_time, payload, published_at)
            VALUES ('t', 'k', 'sent-1', 'gbm.platform.probe.sent.v1', '/gbm/reporting', now(), '{}', now()),
                   ('t', 'k', 'waiting-2', 'gbm.platform.probe.sent.v1', '/gbm/reporting', now(), '{}', NULL)
            """)
        try await PostgresMigrator(schema: name, migrations: MessagingMigrations.all, logger: testLogger).migrate(pool)
        let pending = try await pool.query("SELECT ce_id FROM \(identifier: name).outbox").rows
        let audit = try await pool.query("SELECT ce_id FROM \(identifier: name).outbox_published").rows
        #expect(try pending.map { try $0.decode("ce_id", as: String.self) } == ["waiting-2"])
        #expect(try audit.map { try $0.decode("ce_id", as: String.self) } == ["sent-1"])
    }

    @Test func eventsWaitWhileTheBrokerIsDownAndArriveInOrderPerKeyWhenItIsBack() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        // Records outlive the pause however slowly a loaded machine writes the events: none times out and goes
        // out twice (that case is the fatal-error test's).
        let (schema, producer, running) = try await runningRelay(
            on: broker, producerProperties: ["message.timeout.ms": "120000"])
        defer { Task { running.cancel(); await producer.shutdown(); await schema.drop() } }
        let topic = Topic.platformProbes.name

        broker.pause()
        let keys = ["k1", "k2", "k3", "k4"]
        try await schema.appendProbes(keys: keys, sequences: 1...25)
        // Not "nothing happened after a while": the relay has taken a batch (its transaction locks the rows) and sent
        // it to the paused broker, and still none of the 100 is marked sent.
        #expect(await eventually { ((try? await schema.rowsHeldByARelay()) ?? 0) > 0 }, "the relay has a batch in flight")
        let waiting = try await schema.pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox")
        #expect(try waiting.first?.decode("n", as: Int.self) == 100, "nothing is marked sent while the broker is away")
        broker.resume()

        let published = await eventually(timeout: .seconds(40)) {
            let rows = try? await schema.pool.query(
                "SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox")
            return (try? rows?.first?.decode("n", as: Int.self)) == 0
        }
        #expect(published)
        let messages = try await collect(topic: topic, brokers: broker.bootstrapServers) { $0.count >= 100 }
        var sequences: [String: [Int64]] = [:]
        for message in messages {
            let probe = try CloudEvent(message: message).decode(ProbeSent.self)
            sequences[probe.id, default: []].append(probe.sequence)
        }
        for key in keys {
            #expect(sequences[key] == Array(1...25), "events of \(key) arrive once each, in order")
        }
    }

    @Test func aRowTheBrokerRefusesIsParkedAfterMaxAttemptsWhileOtherKeysFlowAndItsKeysLaterEventsWait() async throws {
        var configuration = OutboxRelay.Configuration()
        configuration.maxAttempts = 3
        let (schema, producer, relay) = try await relayOnFreshSchema(configuration: configuration)
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let tag = uniqueName("park")
        let (stuck, free) = (tag + "-stuck", tag + "-free")
        // Larger than the producer's message.max.bytes (1 MB by default): it can never be published.
        let huge = probe(stuck, 1, note: String(repeating: "x", count: 1_100_000))
        try await schema.pool.transaction { connection in
            for payload in [probe(free, 1), huge, probe(stuck, 2), probe(free, 2)] {
                try await schema.outbox.append(payload, on: connection)
            }
        }
        for _ in 1...3 { _ = try? await relay.publishBatch() }
        #expect(try await relay.parkedCount() == 1)
        let lastFree = try await schema.pool.transaction { connection in
            let event = try await schema.outbox.append(probe(free, 3), on: connection)
            try await schema.outbox.append(probe(stuck, 3), on: connection)
            return event
        }
        #expect(try await relay.publishBatch() == 1, "only the other key's new event is taken; the parked key waits")
        #expect(try await relay.publishBatch() == 0)

        let waiting = try await schema.pool.query("""
            SELECT partition_key, attempts, parked_at IS NOT NULL AS parked, last_error
            FROM \(identifier: schema.name).outbox ORDER BY id
            """).rows
        #expect(try waiting.map { try $0.decode("partition_key", as: String.self) } == [stuck, stuck, stuck])
        #expect(try waiting.map { try $0.decode("parked", as: Bool.self) } == [true, false, false])
        #expect(try waiting.first?.decode("attempts", as: Int.self) == 3)
        #expect(try waiting.first?.decode("last_error", as: String.self).contains("MSG_SIZE_TOO_LARGE") == true)

        let messages = try await collect(topic: Topic.platformProbes.name) { all in
            all.contains { $0.headerString("ce_id") == lastFree.id }
        }
        let mine = try messages.filter { String(decoding: $0.key ?? [], as: UTF8.self).hasPrefix(tag) }
            .map { try CloudEvent(message: $0).decode(ProbeSent.self) }
        #expect(mine.filter { $0.id == free }.map(\.sequence) == [1, 2, 3], "the other key flowed, in order")
        #expect(mine.filter { $0.id == stuck }.isEmpty, "no later event of the parked key overtook it")
    }

    @Test func aFatalProducerErrorAfterTheBrokerWasFrozenPastTheMessageTimeoutIsClearedByANewProducer() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }  // which resumes it first
        let (schema, producer, running) = try await runningRelay(
            on: broker, producerProperties: ["message.timeout.ms": "3000"])
        defer { Task { running.cancel(); await producer.shutdown(); await schema.drop() } }
        let topic = Topic.platformProbes.name
        try await createTopic(DeadLetterPublisher.topic(for: topic), brokers: broker.bootstrapServers)
        // A consumer applying the topic to the schema: its effects count each event's applications.
        let consumer = EventConsumer(
            configuration: .init(groupID: uniqueName("group"), topics: [topic]),
            kafka: try kafkaConfiguration(broker.bootstrapServers), pool: schema.pool, schema: schema.name,
            handlers: [probeHandler(schema: schema.name)],
            deadLetters: DeadLetterPublisher(producer: producer, logger: testLogger), logger: testLogger)
        let consuming = Task { try await consumer.run() }
        defer { consuming.cancel() }

        let keys = ["k1", "k2", "k3", "k4"]
        try await schema.appendProbes(keys: keys, sequences: 1...5)
        #expect(await eventually { (try? await schema.unpublishedCount()) == 0 })
        broker.pause()
        do {
            try await schema.appendProbes(keys: keys, sequences: 6...25)
            // The relay's records timed out in librdkafka while the broker was frozen.
            let timedOut = await eventually(timeout: .seconds(30)) {
                let rows = try? await schema.pool.query(
                    "SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox WHERE attempts > 0")
                return ((try? rows?.first?.decode("n", as: Int.self)) ?? 0) > 0
            }
            #expect(timedOut)
        } catch {
            broker.resume()
            throw error
        }
        broker.resume()

        #expect(await eventually(timeout: .seconds(60)) { (try? await schema.unpublishedCount()) == 0 })
        #expect(producer.recreations >= 1, "the frozen broker left the producer with a fatal error, and it was replaced")
        #expect(await eventually(timeout: .seconds(60)) { (try? await schema.effects().count) == 100 })
        let effects = try await schema.effects()
        #expect(effects.values.allSatisfy { $0 == 1 }, "no event applied twice")
        let messages = try await collect(topic: topic, brokers: broker.bootstrapServers) { all in
            Set(all.compactMap { $0.headerString("ce_id") }).count >= 100
        }
        var sequences: [String: [Int64]] = [:]
        var seen = Set<String>()
        for message in messages where seen.insert(message.headerString("ce_id") ?? "").inserted {
            let probe = try CloudEvent(message: message).decode(ProbeSent.self)
            sequences[probe.id, default: []].append(probe.sequence)
        }
        for key in keys {
            #expect(sequences[key] == Array(1...25), "each event of \(key) arrives, first copies in order")
        }
    }

    @Test func twoRelaysOnOneOutboxPublishEveryEventExactlyOnce() async throws {
        try await createTopic(Topic.platformProbes.name, partitions: 3)
        let schema = try await TestSchema.make()
        defer { Task { await schema.drop() } }
        let tag = uniqueName("replicas")
        let count = 3000
        for start in stride(from: 0, to: count, by: 500) {
            try await schema.pool.transaction { connection in
                let events = try (start..<(start + 500)).map { i in
                    try CloudEvent(payload: probe("\(tag)-\(i % 7)", Int64(i)))
                }
                try await schema.outbox.append(events, on: connection)
            }
        }
        let producers = try (0..<2).map { _ in try KafkaProducer(configuration: try kafkaConfiguration(), logger: testLogger) }
        defer { for producer in producers { Task { await producer.shutdown() } } }
        var configuration = OutboxRelay.Configuration()
        configuration.batchSize = 200
        let relays = producers.map {
            OutboxRelay(pool: schema.pool, schema: schema.name, producer: $0, signal: nil,
                        configuration: configuration, logger: testLogger)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for relay in relays {
                group.addTask {
                    var idle = 0
                    while idle < 20 {
                        if try await relay.publishBatch() == 0 {
                            idle += 1
                            try await Task.sleep(for: .milliseconds(10))
                        } else {
                            idle = 0
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let messages = try await collect(topic: Topic.platformProbes.name, timeout: .seconds(60)) { all in
            all.lazy.filter { String(decoding: $0.key ?? [], as: UTF8.self).hasPrefix(tag) }.count >= count
        }
        let mine = messages.filter { String(decoding: $0.key ?? [], as: UTF8.self).hasPrefix(tag) }
        let ids = mine.compactMap { $0.headerString("ce_id") }
        #expect(ids.count == count)
        #expect(Set(ids).count == count, "no event published twice")
    }
}

@Suite("Outbox relay wake-ups")
struct OutboxRelayWakeTests {
    /// A relay whose poll never comes within a test: only a commit's signal (or a retry) can wake it.
    static func relayWokenOnlyBySignal(listens: Bool = true) async throws -> (TestSchema, KafkaProducer, OutboxRelay) {
        var configuration = OutboxRelay.Configuration()
        configuration.pollInterval = .seconds(3600)
        configuration.listens = listens
        return try await relayOnFreshSchema(signalled: true, configuration: configuration)
    }

    /// Whether the event is marked sent within ten seconds.
    static func published(_ eventID: String, in schema: TestSchema) async -> Bool {
        await eventually(timeout: .seconds(10)) {
            let rows = try? await schema.pool.query("""
                SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox_published
                WHERE ce_id = \(eventID) AND published_at IS NOT NULL
                """)
            return (try? rows?.first?.decode("n", as: Int.self)) == 1
        }
    }

    @Test func aCommitWakesTheRelayWithoutWaitingForThePoll() async throws {
        let (schema, producer, relay) = try await Self.relayWokenOnlyBySignal()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        // It makes no pass until something wakes it (its poll is an hour away): only the wake-up can publish.
        let committed = try await schema.appendRolledBackThenCommitted(tag: uniqueName("wake"))
        // Marked sent only once the broker acknowledged it; what reaches the topic is checked by the suite above.
        #expect(await Self.published(committed.id, in: schema), "the committed event is published on the commit's signal")
        let pending = try await schema.pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox")
        #expect(try pending.first?.decode("n", as: Int.self) == 0, "the rolled-back event never reached the outbox")
    }

    /// Another replica's commit: its signal cannot reach this process, only its NOTIFY can.
    static func commitOnAnotherReplica(_ schema: TestSchema, tag: String) async throws -> CloudEvent {
        let theirs = Outbox(
            schema: schema.name, source: .reporting, signal: OutboxSignal(announcingTo: schema.pool, schema: schema.name))
        return try await schema.pool.transaction { connection in
            try await theirs.append(probe(uniqueName(tag), 1), on: connection)
        }
    }

    @Test func anotherReplicasCommitWakesTheRelayByNotify() async throws {
        let (schema, producer, relay) = try await Self.relayWokenOnlyBySignal()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        #expect(await schema.untilSomeoneListens())
        // It makes no pass until something wakes it (its poll is an hour away): only the wake-up can publish.
        let committed = try await Self.commitOnAnotherReplica(schema, tag: "notify")
        #expect(await Self.published(committed.id, in: schema), "published on the other replica's NOTIFY")
    }

    @Test func withoutListeningAnotherReplicasCommitWaitsForThePoll() async throws {
        // The control for the test above: the same kind of commit, a relay that does not listen. "Nothing happened"
        // is bounded by something that did, not by a sleep: a listening relay of a second schema, told of a commit
        // made just after this one, has published that commit's event, a full wake-up, publish and mark later.
        let (deaf, deafProducer, deafRelay) = try await Self.relayWokenOnlyBySignal(listens: false)
        let (hearing, hearingProducer, hearingRelay) = try await Self.relayWokenOnlyBySignal()
        defer {
            Task {
                await deafProducer.shutdown()
                await hearingProducer.shutdown()
                await deaf.drop()
                await hearing.drop()
            }
        }
        let running = [Task { try await deafRelay.run() }, Task { try await hearingRelay.run() }]
        defer { running.forEach { $0.cancel() } }
        #expect(await hearing.untilSomeoneListens())
        let unheard = try await Self.commitOnAnotherReplica(deaf, tag: "unheard")
        let heard = try await Self.commitOnAnotherReplica(hearing, tag: "heard")
        #expect(await Self.published(heard.id, in: hearing), "the listening relay was woken by its NOTIFY")
        let rows = try await deaf.pool.query("""
            SELECT count(*)::int8 AS n FROM \(identifier: deaf.name).outbox
            WHERE ce_id = \(unheard.id)
            """)
        #expect(try rows.first?.decode("n", as: Int.self) == 1, "nothing but a NOTIFY or the poll wakes it")
    }

    /// A burst of wake-ups (what fifty commits in a row ask for) is announced with the signal's own id and folded:
    /// the first starts a notification, the others while it is on its way ask for one more. The burst is made of
    /// `wake()` calls, not of fifty concurrent transactions, so the test does not depend on how fast a loaded
    /// machine hands out pooled connections; the count is checked once a marker sent after the burst's
    /// notifications has arrived (NOTIFYs reach a listener in commit order), never after a sleep.
    @Test func aBurstOfCommitsSendsFewNotificationsCarryingTheSignalsID() async throws {
        let schema = try await TestSchema.make()
        defer { Task { await schema.drop() } }
        let channel = OutboxSignal.channel(schema: schema.name)
        let listener = PostgresListener(configuration: schema.pool.configuration, channels: [channel], logger: testLogger)
        let listening = Task { try await listener.run() }
        defer { listening.cancel() }
        let heard = LockedValue<[String]>([])
        let collecting = Task {
            for await notification in listener.notifications { heard.withLock { $0.append(notification.payload) } }
        }
        defer { collecting.cancel() }
        #expect(await eventually(timeout: .seconds(30)) { listener.isListening })
        let signal = OutboxSignal(announcingTo: schema.pool, schema: schema.name)
        for _ in 0..<50 { signal.wake() }
        #expect(await eventually(timeout: .seconds(30)) { !heard.current.isEmpty }, "the burst was announced")
        // Once the signal has sent what it will send (it sends at most one more after the first), a marker follows.
        #expect(await eventually(timeout: .seconds(30)) {
            _ = try? await schema.pool.query("SELECT pg_notify(\(channel), 'marker')")
            return heard.current.contains("marker") && heard.current.filter { $0 != "marker" }.count >= 1
        })
        let fromSignal = heard.current.prefix { $0 != "marker" }
        #expect(fromSignal.allSatisfy { $0 == signal.instanceID }, "each notification names the signal that sent it")
        #expect(fromSignal.count <= 2, "fifty wake-ups while one notification was on its way were folded into one more")
    }

    @Test func aRelayThatFindsAnotherPublishingLooksAgainSoon() async throws {
        let (schema, producer, relay) = try await Self.relayWokenOnlyBySignal()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        // Another replica's relay holds the lock while our commit signals.
        let locked = LockedValue(false)
        let release = LockedValue(false)
        let holder = Task {
            try await schema.pool.transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("gbm.outbox." + schema.name)))")
                locked.withLock { $0 = true }
                _ = await eventually(timeout: .seconds(60)) { release.current }
            }
        }
        #expect(await eventually { locked.current }, "the other replica holds the relay lock")
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        let committed = try await schema.pool.transaction { connection in
            try await schema.outbox.append(probe(uniqueName("busy"), 1), on: connection)
        }
        let before = relay.passes.locked
        #expect(await eventually { relay.passes.locked >= before + 2 }, "it found the lock taken, and looked again")
        release.withLock { $0 = true }
        try await holder.value
        #expect(await Self.published(committed.id, in: schema), "published once the other relay let go, not at the next poll")
    }
}
