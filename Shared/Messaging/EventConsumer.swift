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
    /// The dead letter's reason code.
    public var code: DeadLetterReason
    public init(reason: String, code: DeadLetterReason = .rejected) {
        self.reason = reason
        self.code = code
    }
    public var description: String { reason }
}

/// Consumes topics as one consumer group member, applying each event through the inbox.
///
/// Per message: decode the CloudEvent (else dead-letter), look up its type in the contract catalogue
/// (unknown → dead-letter, unless a `fallback` handler takes what no handler does: then an unknown type from the
/// topic's owner goes to it), check that `ce_source` is the service owning the type's topic (else dead-letter as
/// `unexpected-source`; known but not handled here → skipped), then in one transaction insert
/// `(ce_source, ce_id)` into the inbox and run the handler; a redelivered event finds its inbox row and
/// changes nothing. A handler that keeps failing on a healthy database is retried `maxAttempts` times with
/// back-off and then dead-lettered. Only then is the offset stored, so a crash redelivers rather than loses.
///
/// A bad moment is not a bad message: when the database fails (``PostgresError/isInfrastructureFailure``: the
/// connection is lost or refused, the pool has no connection in time, the server shuts down, …) or a dead letter
/// cannot be written, the consumer pauses its partitions, reports itself not ``Health/healthy``, and retries
/// the same records with capped exponential back-off until it succeeds; nothing is dead-lettered for it and no
/// offset is stored past a record not yet finished. On graceful shutdown the records in hand are finished (or,
/// during an outage, left for redelivery) and the offsets of those finished are committed before it leaves.
public final class EventConsumer: Service, Sendable {
    public struct Configuration: Sendable {
        public var groupID: String
        public var topics: [String]
        public var maxAttempts: Int = 5
        public var initialBackoff: Duration = .milliseconds(50)
        /// Back-off while the database or the dead-letter topic is unavailable, doubled up to `maxOutageBackoff`.
        public var outageBackoff: Duration = .milliseconds(100)
        public var maxOutageBackoff: Duration = .seconds(5)
        /// Messages already waiting are applied up to this many per transaction, so one commit's fsync
        /// serves many events when the consumer has fallen behind.
        public var batchSize: Int = 200

        public init(groupID: String, topics: [String]) {
            self.groupID = groupID
            self.topics = topics
        }
    }

    /// Whether the consumer is making progress, for readiness probes.
    public enum Health: String, Sendable, Equatable {
        case healthy
        /// The database is unavailable: partitions paused, the records in hand retried until it is back.
        case waitingForDatabase = "waiting-for-database"
        /// A dead letter cannot be written: partitions paused, the dead letter retried, no offset stored past it.
        case deadLetterTopicUnavailable = "dead-letter-topic-unavailable"
    }

    private let configuration: Configuration
    private let kafka: KafkaConfiguration
    private let pool: PostgresPool
    private let schema: String
    private let handlers: [String: EventHandler]
    private let fallback: EventHandler?
    private let deadLetters: DeadLetterPublisher
    private let logger: Logger
    private let processed: Counter
    private let duplicates: Counter
    private let deadLettered: Counter
    /// Spans for the events handled (each continuing its event's trace), when the service traces.
    private let traces: Traces?
    private let consumerBox = Mutex<KafkaConsumer?>(nil)
    private let healthState = Mutex(Health.healthy)
    private let shutdown = ShutdownState()

    public init(
        configuration: Configuration, kafka: KafkaConfiguration, pool: PostgresPool, schema: String,
        handlers: [EventHandler], fallback: EventHandler? = nil, deadLetters: DeadLetterPublisher, logger: Logger,
        traces: Traces? = nil
    ) {
        self.traces = traces
        self.fallback = fallback
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

    /// Whether the consumer is making progress or waiting out an outage.
    public var health: Health { healthState.withLock { $0 } }

    /// Each assigned partition's lag (``KafkaConsumer/lag(timeout:)``); empty before the consumer runs or once it
    /// stopped, `nil` when its thread did not answer in time.
    public func lag() async -> [KafkaPartitionLag]? {
        guard let consumer = consumerBox.withLock({ $0 }) else { return [] }
        return await consumer.lag()
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(
            configuration: kafka, groupID: configuration.groupID, topics: configuration.topics, logger: logger)
        consumerBox.withLock { $0 = consumer }
        let state = shutdown
        await withGracefulShutdownHandler {
            while true {
                let batch = await consumer.nextBatch(maxCount: configuration.batchSize)
                if batch.isEmpty || state.beginMessage() == false { break }
                let finished = await process(batch)
                for message in batch.prefix(finished) {
                    do {
                        try consumer.storeOffset(message)
                    } catch {
                        logger.warning("could not store offset", metadata: ["error": "\(error)"])
                    }
                }
                if state.endMessage() == false || finished < batch.count { break }
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
    /// Returns how many of the batch's messages, from its start, are finished: all of them unless a graceful
    /// shutdown interrupted an outage.
    func process(_ batch: [KafkaMessage]) async -> Int {
        if batch.count > 1 {
            switch await applyTogether(batch) {
            case .finished: return batch.count
            case .interrupted: return 0
            case .oneAtATime: break
            }
        }
        for (index, message) in batch.enumerated() {
            guard await process(message) else { return index }
        }
        return batch.count
    }

    private enum BatchOutcome { case finished, oneAtATime, interrupted }

    /// Applies a batch of well-formed events in one transaction, waiting out a database outage.
    private func applyTogether(_ batch: [KafkaMessage]) async -> BatchOutcome {
        var prepared: [(message: KafkaMessage, event: CloudEvent, handler: EventHandler)] = []
        for message in batch {
            // Anything to dead-letter is done, with its reason, on the one-at-a-time path.
            guard case .apply(let event, let handler) = classify(message) else { return .oneAtATime }
            if let handler { prepared.append((message, event, handler)) }
        }
        guard !prepared.isEmpty else { return .finished }
        var backoff = configuration.outageBackoff
        while true {
            do {
                let applied = try await pool.transaction { connection in
                    let new = try await recordInInbox(prepared.map { ($0.event, $0.message) }, on: connection)
                    try await EventBatch.applying(on: connection) {
                        for (index, item) in prepared.enumerated() where new[index] {
                            try await handle(item.event, item.message, item.handler, on: connection)
                        }
                    }
                    return new.count { $0 }
                }
                recovered()
                processed.increment(by: applied)
                duplicates.increment(by: prepared.count - applied)
                return .finished
            } catch let error as PostgresError where error.isInfrastructureFailure {
                guard await waitOut(.waitingForDatabase, error: error, backoff: &backoff) else { return .interrupted }
            } catch {
                return .oneAtATime
            }
        }
    }

    /// Applies records read outside the consumer group (a projection rebuild reading the topics from their first
    /// offsets) exactly as consumed ones: through the inbox, dead-lettering what cannot be applied. Returns how many
    /// are finished (all, unless a graceful shutdown interrupted an outage).
    public func apply(_ messages: [KafkaMessage]) async -> Int {
        var finished = 0
        var start = messages.startIndex
        while start < messages.endIndex {
            let end = min(start + configuration.batchSize, messages.endIndex)
            let batch = Array(messages[start..<end])
            let done = await process(batch)
            finished += done
            if done < batch.count { break }
            start = end
        }
        return finished
    }

    /// What to do with a message before any database work.
    private enum Classification {
        /// Apply it through its handler (`nil`: a known event this service has no use for, skipped).
        case apply(CloudEvent, EventHandler?)
        /// Dead-letter it with this reason and detail (the event, when it decoded, for the log).
        case deadLetter(DeadLetterReason, String, CloudEvent?)
    }

    private func classify(_ message: KafkaMessage) -> Classification {
        let event: CloudEvent
        do {
            event = try CloudEvent(message: message)
        } catch {
            return .deadLetter(.notACloudEvent, "not a CloudEvent: \(error)", nil)
        }
        guard let eventType = EventCatalogue.eventType(named: event.type) else {
            // A newer producer's type: a service with a fallback (one that reads everything) takes it from the
            // topic's owner instead of dead-lettering it.
            if let fallback, let topic = (EventCatalogue.topics + EventCatalogue.platformTopics).first(where: { $0.name == message.topic }),
               event.source == topic.owner.eventSource {
                return .apply(event, fallback)
            }
            return .deadLetter(.unknownEventType, "unknown event type \(event.type)", event)
        }
        let owner = eventType.topic.owner.eventSource
        guard event.source == owner else {
            return .deadLetter(.unexpectedSource, """
                unexpected-source: ce_source \(event.source) is not \(owner), the owner of \(eventType.topic.name)
                """, event)
        }
        return .apply(event, handlers[event.type] ?? fallback)
    }

    /// What the log says about a message (and its event, once decoded).
    private static func metadata(_ message: KafkaMessage, _ event: CloudEvent?) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
            "kafka.offset": "\(message.offset)",
        ]
        if let event {
            metadata["event.id"] = "\(event.id)"
            metadata["event.type"] = "\(event.type)"
            metadata["event.source"] = "\(event.source)"
        }
        return metadata
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
        try await EventBatch.applying(on: connection) { try await handle(event, message, handler, on: connection) }
        return true
    }

    /// Runs the handler, in a consumer span continuing the event's trace when the service traces.
    private func handle(
        _ event: CloudEvent, _ message: KafkaMessage, _ handler: EventHandler, on connection: PostgresConnection
    ) async throws {
        guard let traces else { return try await handler.handle(event, connection) }
        try await traces.consuming(
            event, topic: message.topic, partition: message.partition, offset: message.offset,
            group: configuration.groupID
        ) { try await handler.handle(event, connection) }
    }

    /// Handles one message completely: applied, skipped as a duplicate, or dead-lettered; false when a graceful
    /// shutdown interrupted it during an outage (it is then not finished and its offset must not be stored).
    func process(_ message: KafkaMessage) async -> Bool {
        let event: CloudEvent
        let handler: EventHandler
        switch classify(message) {
        case .deadLetter(let reason, let detail, let event):
            return await deadLetter(message, reason: reason, detail: detail, metadata: Self.metadata(message, event))
        case .apply(_, nil):
            return true  // a known event this service has no use for
        case .apply(let classified, let handledBy?):
            event = classified
            handler = handledBy
        }
        let metadata = Self.metadata(message, event)
        var attempt = 0
        var backoff = configuration.initialBackoff
        var outageBackoff = configuration.outageBackoff
        while true {
            do {
                let applied = try await pool.transaction { connection in
                    try await applyThroughInbox(event, message, handler, on: connection)
                }
                recovered()
                if applied {
                    processed.increment()
                } else {
                    duplicates.increment()
                    logger.debug("duplicate event skipped", metadata: metadata)
                }
                return true
            } catch let error as PermanentEventError {
                return await deadLetter(message, reason: error.code, detail: error.reason, metadata: metadata)
            } catch let error as PostgresError where error.isInfrastructureFailure {
                // Not the handler's fault: the attempt does not count.
                guard await waitOut(.waitingForDatabase, error: error, backoff: &outageBackoff) else { return false }
            } catch {
                attempt += 1
                if attempt >= configuration.maxAttempts {
                    return await deadLetter(
                        message, reason: .handlerFailed, detail: "handler failed \(attempt) times: \(error)",
                        metadata: metadata)
                }
                logger.warning("handler failed; retrying", metadata: metadata.merging([
                    "error": "\(error)", "consumer.attempt": "\(attempt)",
                ]) { $1 })
                try? await Task.sleep(for: backoff)
                backoff = backoff * 2
            }
        }
    }

    /// Publishes a dead letter, waiting out a dead-letter topic that cannot be written; false when a graceful
    /// shutdown came first.
    private func deadLetter(
        _ message: KafkaMessage, reason: DeadLetterReason, detail: String, metadata: Logger.Metadata
    ) async -> Bool {
        logger.error("dead-lettering message", metadata: metadata.merging([
            "dlq.reason": "\(detail)", "dlq.reason_code": "\(reason.rawValue)",
        ]) { $1 })
        var backoff = configuration.outageBackoff
        while true {
            do {
                try await deadLetters.publish(message, reason: reason, detail: detail, consumerGroup: configuration.groupID)
                recovered()
                deadLettered.increment()
                return true
            } catch {
                guard await waitOut(.deadLetterTopicUnavailable, error: error, backoff: &backoff) else { return false }
            }
        }
    }

    /// Enters (or stays in) an outage: partitions paused, health reported, one back-off waited. False when a
    /// graceful shutdown was requested, so the caller gives up on the record in hand instead of retrying.
    private func waitOut(_ outage: Health, error: any Error, backoff: inout Duration) async -> Bool {
        guard !shutdown.isStopRequested else { return false }
        let entered = healthState.withLock { health in
            defer { health = outage }
            return health != outage
        }
        if entered { consumerBox.withLock { $0 }?.pause() }
        logger.warning("consumer paused: retrying the same records after an outage", metadata: [
            "consumer.health": "\(outage.rawValue)", "error": "\(error)", "consumer.backoff": "\(backoff)",
        ])
        try? await Task.sleep(for: backoff)
        backoff = min(backoff * 2, configuration.maxOutageBackoff)
        return !shutdown.isStopRequested
    }

    /// Leaves an outage, if in one: health back to healthy and fetching resumed.
    private func recovered() {
        let was = healthState.withLock { health in
            defer { health = .healthy }
            return health
        }
        guard was != .healthy else { return }
        consumerBox.withLock { $0 }?.resume()
        logger.info("consumer resumed after an outage", metadata: ["consumer.health": "\(was.rawValue)"])
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

    /// Whether a graceful shutdown has been requested.
    var isStopRequested: Bool { state.withLock { $0.stopRequested } }

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
