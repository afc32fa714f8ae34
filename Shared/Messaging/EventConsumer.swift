import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// What a service does with one event type: runs inside the transaction that also records the event in
/// the inbox, so the effect happens exactly once however often the event is delivered.
public struct EventHandler: Sendable {
    public let eventType: String
    public let handle: @Sendable (CloudEvent, PostgresConnection) async throws -> Void

    public init(eventType: String, handle: @escaping @Sendable (CloudEvent, PostgresConnection) async throws -> Void) {
        self.eventType = eventType
        self.handle = handle
    }

    /// A handler for a typed payload; a payload that does not decode is a permanent failure.
    public static func on<Payload: EventPayload>(
        _ type: Payload.Type,
        _ handle: @escaping @Sendable (Payload, CloudEvent, PostgresConnection) async throws -> Void
    ) -> EventHandler {
        EventHandler(eventType: Payload.eventType.name) { event, connection in
            let payload: Payload
            do {
                payload = try event.decode(Payload.self)
            } catch {
                throw PermanentEventError(reason: "payload does not match \(Payload.eventType.name): \(error)")
            }
            try await handle(payload, event, connection)
        }
    }
}

/// A failure that retrying cannot fix: the message goes to the dead-letter topic at once.
public struct PermanentEventError: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Consumes topics as one consumer group member, applying each event through the inbox.
///
/// Per message: decode the CloudEvent (else dead-letter), look up its type in the contract catalogue
/// (unknown → dead-letter; known but not handled here → skipped), then in one transaction insert
/// `(ce_source, ce_id)` into the inbox and run the handler; a redelivered event finds its inbox row and
/// changes nothing. A handler that keeps failing is retried `maxAttempts` times with back-off and then
/// dead-lettered. Only then is the offset stored, so a crash redelivers rather than loses. On graceful
/// shutdown the message in hand is finished and the offsets are committed before the consumer leaves.
public final class EventConsumer: Service, Sendable {
    public struct Configuration: Sendable {
        public var groupID: String
        public var topics: [String]
        public var maxAttempts: Int = 5
        public var initialBackoff: Duration = .milliseconds(50)
        /// Messages already waiting are applied up to this many per transaction, so one commit's fsync
        /// serves many events when the consumer has fallen behind.
        public var batchSize: Int = 200

        public init(groupID: String, topics: [String]) {
            self.groupID = groupID
            self.topics = topics
        }
    }

    private let configuration: Configuration
    private let kafka: KafkaConfiguration
    private let pool: PostgresPool
    private let schema: String
    private let handlers: [String: EventHandler]
    private let deadLetters: DeadLetterPublisher
    private let logger: Logger
    private let processed: Counter
    private let duplicates: Counter
    private let deadLettered: Counter
    private let consumerBox = Mutex<KafkaConsumer?>(nil)

    public init(
        configuration: Configuration, kafka: KafkaConfiguration, pool: PostgresPool, schema: String,
        handlers: [EventHandler], deadLetters: DeadLetterPublisher, logger: Logger
    ) {
        self.configuration = configuration
        self.kafka = kafka
        self.pool = pool
        self.schema = schema
        self.handlers = Dictionary(handlers.map { ($0.eventType, $0) }, uniquingKeysWith: { _, last in last })
        self.deadLetters = deadLetters
        var logger = logger
        logger[metadataKey: "consumer.group"] = "\(configuration.groupID)"
        self.logger = logger
        let dims = [("group", configuration.groupID)]
        processed = Counter(label: "gbm_consumer_processed_total", dimensions: dims)
        duplicates = Counter(label: "gbm_consumer_duplicates_total", dimensions: dims)
        deadLettered = Counter(label: "gbm_consumer_dead_lettered_total", dimensions: dims)
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(
            configuration: kafka, groupID: configuration.groupID, topics: configuration.topics, logger: logger)
        consumerBox.withLock { $0 = consumer }
        let state = ShutdownState()
        await withGracefulShutdownHandler {
            while true {
                let batch = await consumer.nextBatch(maxCount: configuration.batchSize)
                if batch.isEmpty || state.beginMessage() == false { break }
                await process(batch)
                for message in batch {
                    do {
                        try consumer.storeOffset(message)
                    } catch {
                        logger.warning("could not store offset", metadata: ["error": "\(error)"])
                    }
                }
                if state.endMessage() == false { break }
            }
            await consumer.close()
        } onGracefulShutdown: {
            // Let the messages in hand finish; then closing commits the stored offsets and ends the loop.
            if state.requestStop() { Task { await consumer.close() } }
        }
        await consumer.close()
    }

    /// Applies a batch in one transaction; if anything in it fails, applies its messages one at a time
    /// (with retries and dead-lettering), so one bad event never holds up or undoes the others.
    func process(_ batch: [KafkaMessage]) async {
        guard batch.count > 1 else {
            if let message = batch.first { await process(message) }
            return
        }
        var prepared: [(message: KafkaMessage, event: CloudEvent, handler: EventHandler)] = []
        for message in batch {
            guard let event = try? CloudEvent(message: message), EventCatalogue.eventType(named: event.type) != nil else {
                // Dead-lettered (with its reason) on the one-at-a-time path.
                await process(message)
                continue
            }
            guard let handler = handlers[event.type] else { continue }
            prepared.append((message, event, handler))
        }
        guard !prepared.isEmpty else { return }
        do {
            let applied = try await pool.transaction { connection in
                let new = try await recordInInbox(prepared.map { ($0.event, $0.message) }, on: connection)
                for (index, item) in prepared.enumerated() where new[index] {
                    try await item.handler.handle(item.event, connection)
                }
                return new.count { $0 }
            }
            processed.increment(by: applied)
            duplicates.increment(by: prepared.count - applied)
        } catch {
            for item in prepared { await process(item.message) }
        }
    }

    /// Records a batch's events in the inbox with one statement; says of each whether it is new (a redelivered
    /// event, or a second copy within the batch, is not).
    private func recordInInbox(
        _ items: [(event: CloudEvent, message: KafkaMessage)], on connection: PostgresConnection
    ) async throws -> [Bool] {
        let inserted = try await connection.query("""
            INSERT INTO \(identifier: schema).inbox (ce_source, ce_id, ce_type, topic, kafka_partition, kafka_offset)
            SELECT * FROM unnest(\(items.map(\.event.source))::text[], \(items.map(\.event.id))::text[],
                \(items.map(\.event.type))::text[], \(items.map(\.message.topic))::text[],
                \(items.map(\.message.partition))::int4[], \(items.map(\.message.offset))::int8[])
            ON CONFLICT DO NOTHING
            RETURNING topic, kafka_partition, kafka_offset
            """).rows
        var new = Set<InboxPosition>()
        for row in inserted {
            new.insert(InboxPosition(
                topic: try row.decode("topic"), partition: try row.decode("kafka_partition"),
                offset: try row.decode("kafka_offset")))
        }
        return items.map { new.contains(InboxPosition($0.message)) }
    }

    /// Records the event in the inbox and runs the handler, unless the inbox already has it.
    private func applyThroughInbox(
        _ event: CloudEvent, _ message: KafkaMessage, _ handler: EventHandler, on connection: PostgresConnection
    ) async throws -> Bool {
        let inserted = try await connection.query("""
            INSERT INTO \(identifier: schema).inbox (ce_source, ce_id, ce_type, topic, kafka_partition, kafka_offset)
            VALUES (\(event.source), \(event.id), \(event.type), \(message.topic), \(message.partition), \(message.offset))
            ON CONFLICT DO NOTHING
            """)
        guard inserted.affectedRows == 1 else { return false }
        try await handler.handle(event, connection)
        return true
    }

    /// Handles one message completely: applied, skipped as a duplicate, or dead-lettered.
    func process(_ message: KafkaMessage) async {
        var metadata: Logger.Metadata = [
            "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
            "kafka.offset": "\(message.offset)",
        ]
        let event: CloudEvent
        do {
            event = try CloudEvent(message: message)
        } catch {
            await deadLetter(message, reason: "not a CloudEvent: \(error)", metadata: metadata)
            return
        }
        metadata["event.id"] = "\(event.id)"
        metadata["event.type"] = "\(event.type)"
        guard EventCatalogue.eventType(named: event.type) != nil else {
            await deadLetter(message, reason: "unknown event type \(event.type)", metadata: metadata)
            return
        }
        guard let handler = handlers[event.type] else {
            return  // a known event this service has no use for
        }
        var attempt = 0
        var backoff = configuration.initialBackoff
        while true {
            attempt += 1
            do {
                let applied = try await pool.transaction { connection in
                    try await applyThroughInbox(event, message, handler, on: connection)
                }
                if applied {
                    processed.increment()
                } else {
                    duplicates.increment()
                    logger.debug("duplicate event skipped", metadata: metadata)
                }
                return
            } catch let error as PermanentEventError {
                await deadLetter(message, reason: error.reason, metadata: metadata)
                return
            } catch {
                if attempt >= configuration.maxAttempts {
                    await deadLetter(
                        message, reason: "handler failed \(attempt) times: \(error)", metadata: metadata)
                    return
                }
                logger.warning("handler failed; retrying", metadata: metadata.merging([
                    "error": "\(error)", "consumer.attempt": "\(attempt)",
                ]) { $1 })
                try? await Task.sleep(for: backoff)
                backoff = backoff * 2
            }
        }
    }

    private func deadLetter(_ message: KafkaMessage, reason: String, metadata: Logger.Metadata) async {
        deadLettered.increment()
        logger.error("dead-lettering message", metadata: metadata.merging(["dlq.reason": "\(reason)"]) { $1 })
        await deadLetters.publish(message, reason: reason, consumerGroup: configuration.groupID)
    }
}

/// Coordinates graceful shutdown with the message in hand.
private final class ShutdownState: Sendable {
    private struct State {
        var busy = false
        var stopRequested = false
        var closeDeferred = false
    }

    private let state = Mutex(State())

    /// Returns false when the loop should stop instead.
    func beginMessage() -> Bool {
        state.withLock { s in
            if s.stopRequested { return false }
            s.busy = true
            return true
        }
    }

    /// Returns false when a stop was requested while the message was being handled.
    func endMessage() -> Bool {
        state.withLock { s in
            s.busy = false
            return !s.stopRequested
        }
    }

    /// Returns true when the consumer can be closed right away (no message in hand).
    func requestStop() -> Bool {
        state.withLock { s in
            s.stopRequested = true
            return !s.busy
        }
    }
}

/// A message's topic, partition and offset: what identifies the inbox rows a batch's statement inserted.
private struct InboxPosition: Hashable {
    var topic: String
    var partition: Int32
    var offset: Int64
}

extension InboxPosition {
    init(_ message: KafkaMessage) {
        self.init(topic: message.topic, partition: message.partition, offset: message.offset)
    }
}
