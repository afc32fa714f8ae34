import Contracts
import Foundation
import Kafka
import Messaging
import Postgres
import TestSupport
import Testing

@Suite("Outbox archive: retention and republishing")
struct OutboxArchiveTests {
    static func publishedAt(_ schema: TestSchema, _ ids: [String], _ time: String) async throws {
        try await schema.pool.query("""
            UPDATE \(identifier: schema.name).outbox_published SET published_at = \(time)::timestamptz WHERE ce_id = ANY(\(ids))
            """)
    }

    @Test func aPublishedEventKeepsItsWholeCloudEventInTheArchive() async throws {
        let (schema, producer, relay) = try await relayOnFreshSchema()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let event = try await schema.pool.transaction { connection in
            try await schema.outbox.append(probe(uniqueName("kept"), 1, note: "with a payload"), on: connection)
        }
        let queued = try await schema.pool.query("SELECT payload FROM \(identifier: schema.name).outbox").first
        #expect(try queued?.decode("payload", as: String?.self) == nil, "the queue row is narrow: the payload is apart")
        #expect(try await relay.publishBatch() == 1)
        let row = try #require(try await schema.pool.query("""
            SELECT a.ce_id, a.ce_source, a.ce_type, a.ce_subject, a.ce_time, p.payload, a.partition_key, a.republished_from
            FROM \(identifier: schema.name).outbox_published AS a JOIN \(identifier: schema.name).outbox_payload AS p USING (id)
            """).first)
        #expect(try row.decode("payload", as: String.self) == String(decoding: event.data, as: UTF8.self))
        #expect(try row.decode("ce_source", as: String.self) == event.source)
        #expect(try row.decode("ce_subject", as: String?.self) == event.subject)
        #expect(abs(try row.decode("ce_time", as: Date.self).timeIntervalSince(event.time)) < 0.001)
        #expect(try row.decode("republished_from", as: Int64?.self) == nil)
    }

    /// Publish, republish a time range, and a consumer applies each event once; the copies go out in the original
    /// order, with the original CloudEvent, and only the range's events are copied.
    @Test func republishingARangePublishesItsEventsAgainInOrderAndAConsumerAppliesEachOnce() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        let topic = Topic.platformProbes.name
        try await createTopic(topic, partitions: 3, brokers: broker.bootstrapServers)
        try await createTopic(DeadLetterPublisher.topic(for: topic), brokers: broker.bootstrapServers)
        let schema = try await TestSchema.make()
        let producer = try KafkaProducer(configuration: try kafkaConfiguration(broker.bootstrapServers), logger: testLogger)
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let relay = OutboxRelay(pool: schema.pool, schema: schema.name, producer: producer, signal: nil, logger: testLogger)
        let archive = OutboxArchive(pool: schema.pool, schema: schema.name)

        let (a, b) = (uniqueName("a"), uniqueName("b"))
        var inRange: [CloudEvent] = []
        for sequence in 1...3 {
            inRange.append(try await schema.pool.transaction { try await schema.outbox.append(probe(a, Int64(sequence)), on: $0) })
        }
        let later = try await schema.pool.transaction { try await schema.outbox.append(probe(b, 1), on: $0) }
        #expect(try await relay.publishBatch() == 4)
        try await Self.publishedAt(schema, inRange.map(\.id), "2025-03-01T10:00:00+08:00")
        try await Self.publishedAt(schema, [later.id], "2025-03-01T12:00:00+08:00")

        let since = try #require(ISO8601DateFormatter().date(from: "2025-03-01T01:00:00Z"))
        let until = try #require(ISO8601DateFormatter().date(from: "2025-03-01T03:00:00Z"))
        let dry = try await archive.requeue(publishedSince: since, until: until, dryRun: true)
        #expect(dry.found == 3 && dry.queued == 0)
        #expect(try await schema.unpublishedCount() == 0, "a dry run queues nothing")
        let requeued = try await archive.requeue(publishedSince: since, until: until)
        #expect(requeued.found == 3 && requeued.queued == 3 && requeued.withoutPayload == 0)
        let again = try await archive.requeue(publishedSince: since, until: until)
        #expect(again.found == 3 && again.queued == 0, "what waits in the outbox already is not queued twice")
        let copies = try await schema.pool.query("""
            SELECT ce_id, republished_from FROM \(identifier: schema.name).outbox ORDER BY id
            """).rows
        #expect(try copies.map { try $0.decode("ce_id", as: String.self) } == inRange.map(\.id), "original order")
        #expect(try copies.allSatisfy { try $0.decode("republished_from", as: Int64?.self) != nil })
        #expect(try await relay.publishBatch() == 3)

        // A consumer that starts now reads the originals and the copies: it applies each event once.
        let consumer = EventConsumer(
            configuration: .init(groupID: uniqueName("group"), topics: [topic]),
            kafka: try kafkaConfiguration(broker.bootstrapServers), pool: schema.pool, schema: schema.name,
            handlers: [probeHandler(schema: schema.name)],
            deadLetters: DeadLetterPublisher(producer: producer, logger: testLogger), logger: testLogger)
        let consuming = Task { try await consumer.run() }
        defer { consuming.cancel() }
        // A later event of key a: its partition's copies come before it, so once it is applied they were handled.
        try await schema.pool.transaction { try await schema.outbox.append(probe(a, 99), on: $0) }
        #expect(try await relay.publishBatch() == 1)
        #expect(await eventually(timeout: .seconds(60)) { (try? await schema.effects()["\(a)#99"]) == 1 })
        #expect(await eventually(timeout: .seconds(30)) { (try? await schema.effects()["\(b)#1"]) == 1 })
        let effects = try await schema.effects()
        #expect(effects["\(a)#1"] == 1 && effects["\(a)#2"] == 1 && effects["\(a)#3"] == 1, "\(effects)")

        let records = try await KafkaTopicReader(configuration: try kafkaConfiguration(broker.bootstrapServers), logger: testLogger)
            .read(topic: topic)
        let ofA = try records.map { try CloudEvent(message: $0) }.filter { $0.partitionKey == a }
        try #require(ofA.count == 7, "three originals, three copies, the later one: \(ofA.map(\.id))")
        #expect(ofA.map(\.id) == inRange.map(\.id) + inRange.map(\.id) + [ofA[6].id], "originals, then copies in order")
        #expect(Array(ofA[3..<6]) == inRange, "each copy is the original CloudEvent")
        #expect(try records.map { try CloudEvent(message: $0) }.filter { $0.partitionKey == b }.count == 1,
                "the event outside the range went out once")
        let inbox = try await schema.pool.query("""
            SELECT count(*)::int8 AS n FROM \(identifier: schema.name).inbox WHERE ce_id = ANY(\(inRange.map(\.id)))
            """).first?.decode("n", as: Int.self)
        #expect(inbox == 3)
    }

    @Test func aTopicFilterAndEventsPublishedBeforePayloadsWereKeptAreHonoured() async throws {
        let (schema, producer, relay) = try await relayOnFreshSchema()
        defer { Task { await producer.shutdown(); await schema.drop() } }
        let event = try await schema.pool.transaction { try await schema.outbox.append(probe(uniqueName("f"), 1), on: $0) }
        #expect(try await relay.publishBatch() == 1)
        // An audit row from before messaging migration 5: no payload.
        try await schema.pool.query("""
            INSERT INTO \(identifier: schema.name).outbox_published (id, topic, partition_key, ce_id, ce_type, created_at, published_at)
            VALUES (-1, \(Topic.platformProbes.name), 'old', 'old-event', 'gbm.platform.probe.sent.v1', now(), now())
            """)
        let archive = OutboxArchive(pool: schema.pool, schema: schema.name)
        let since = Date().addingTimeInterval(-3600)
        let other = try await archive.requeue(publishedSince: since, until: Date().addingTimeInterval(60), topics: ["gbm.other.v1"])
        #expect(other.found == 0 && other.queued == 0)
        let all = try await archive.requeue(publishedSince: since, until: Date().addingTimeInterval(60), topics: [Topic.platformProbes.name])
        #expect(all.found == 1 && all.queued == 1 && all.withoutPayload == 1)
        let queued = try await schema.pool.query("SELECT ce_id FROM \(identifier: schema.name).outbox").rows
        #expect(try queued.map { try $0.decode("ce_id", as: String.self) } == [event.id])
    }

    /// An event written before messaging migration 5 carries its payload in its outbox row: published after the
    /// migration, it is archived whole and can be republished like any other.
    @Test func anEventWaitingAcrossTheMigrationIsArchivedWithItsPayload() async throws {
        // As the service role that owns the schema, which is what runs a service's migrations.
        let role = try await ServiceRole.make(maxConnections: 3)
        let (name, pool) = (role.schema, role.pool)
        defer { Task { await role.drop() } }
        try await PostgresMigrator(schema: name, migrations: Array(MessagingMigrations.all.prefix(4)), logger: testLogger)
            .migrate(pool)
        let event = try CloudEvent(payload: probe(uniqueName("legacy"), 1))
        try await pool.query("""
            INSERT INTO \(identifier: name).outbox (topic, partition_key, ce_id, ce_type, ce_source, ce_time, payload)
            VALUES (\(Topic.platformProbes.name), \(event.partitionKey), \(event.id), \(event.type), \(event.source),
                \(event.time), \(String(decoding: event.data, as: UTF8.self)))
            """)
        try await PostgresMigrator(schema: name, migrations: MessagingMigrations.all, logger: testLogger).migrate(pool)
        try await createTopic(Topic.platformProbes.name, partitions: 3)
        let producer = try KafkaProducer(configuration: try kafkaConfiguration(), logger: testLogger)
        defer { Task { await producer.shutdown() } }
        let relay = OutboxRelay(pool: pool, schema: name, producer: producer, signal: nil, logger: testLogger)
        #expect(try await relay.publishBatch() == 1)
        let archived = try await pool.query("SELECT payload FROM \(identifier: name).outbox_payload").rows
        #expect(try archived.map { try $0.decode("payload", as: String.self) } == [String(decoding: event.data, as: UTF8.self)])
        let requeued = try await OutboxArchive(pool: pool, schema: name)
            .requeue(publishedSince: Date().addingTimeInterval(-600), until: Date().addingTimeInterval(60))
        #expect(requeued.found == 1 && requeued.queued == 1)
        #expect(try await relay.publishBatch() == 1, "the copy goes out with the payload the old row had")
    }

    @Test func pruningDeletesOnlyWhatOutlivedTheRetentionInBatchesAndTheRunningRelayDoesItByItself() async throws {
        var configuration = OutboxRelay.Configuration()
        configuration.retention = .seconds(3600)
        configuration.pruneInterval = .milliseconds(200)
        configuration.pruneBatchSize = 2
        let (schema, producer, relay) = try await relayOnFreshSchema(configuration: configuration)
        defer { Task { await producer.shutdown(); await schema.drop() } }
        var old: [String] = []
        for index in 1...5 {
            old.append(try await schema.pool.transaction { try await schema.outbox.append(probe(uniqueName("old"), Int64(index)), on: $0) }.id)
        }
        let young = try await schema.pool.transaction { try await schema.outbox.append(probe(uniqueName("young"), 1), on: $0) }
        #expect(try await relay.publishBatch() == 6)
        try await schema.pool.query("""
            UPDATE \(identifier: schema.name).outbox_published SET published_at = now() - interval '2 hours'
            WHERE ce_id = ANY(\(Array(old.prefix(3))))
            """)
        // Directly: three events, in batches of two, their payloads with them.
        #expect(try await OutboxArchive(pool: schema.pool, schema: schema.name)
            .prune(publishedBefore: Date().addingTimeInterval(-3600), batchSize: 2) == 3)
        let payloads = try await schema.pool.query("""
            SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox_payload
            WHERE id IN (SELECT id FROM \(identifier: schema.name).outbox_published)
            """).first?.decode("n", as: Int.self)
        let all = try await schema.pool.query("SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox_payload")
            .first?.decode("n", as: Int.self)
        #expect(payloads == 3 && all == 3, "the pruned events' payloads are gone, the others' kept")
        // The running relay prunes by itself.
        try await schema.pool.query("""
            UPDATE \(identifier: schema.name).outbox_published SET published_at = now() - interval '2 hours'
            WHERE ce_id = ANY(\(Array(old.suffix(2))))
            """)
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        let pruned = await eventually(timeout: .seconds(20)) {
            let left = try? await schema.pool.query("""
                SELECT a.ce_id FROM \(identifier: schema.name).outbox_published AS a
                JOIN \(identifier: schema.name).outbox_payload AS p USING (id)
                """).rows.map { try $0.decode("ce_id", as: String.self) }
            let payloads = try? await schema.pool.query("SELECT count(*)::int8 AS n FROM \(identifier: schema.name).outbox_payload")
                .first?.decode("n", as: Int.self)
            return left == [young.id] && payloads == 1
        }
        #expect(pruned, "only the young event is left, with its payload")
    }
}
