import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Publishes a service's outbox to Kafka: in id order (so in order per key), marking an event sent only
/// after the broker acknowledged it (it moves from `outbox` to the audit table `outbox_published`), retrying
/// with back-off while the broker is unreachable.
///
/// It wakes when a transaction of this process that wrote events commits (`OutboxSignal`), when another
/// replica's signal sends a NOTIFY on the schema's outbox channel, and at every poll, which also covers
/// notifications missed while its listening connection was down. Several replicas may run it: a
/// transaction-level advisory lock lets one publish at a time, so no event goes out twice in normal operation
/// and none is skipped; a relay that finds the lock taken looks again after `lockRetryInterval`, since the
/// other replica may have started before our commit.
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        /// Events taken per transaction.
        public var batchSize: Int = 2000
        /// Whether to LISTEN for other replicas' signals.
        public var listens = true
        /// How often to look even without a wake-up: the fallback for notifications that were lost.
        public var pollInterval: Duration = .seconds(1)
        /// How soon to look again when another replica was publishing.
        public var lockRetryInterval: Duration = .milliseconds(5)
        /// Back-off after a failed publish, doubled up to `maxBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(5)
        /// How long published rows are kept for audit before they are deleted.
        public var retention: Duration = .seconds(7 * 24 * 3600)

        public init() {}
    }

    private let pool: PostgresPool
    private let schema: String
    private let producer: KafkaProducer
    private let signal: OutboxSignal?
    private let configuration: Configuration
    private let logger: Logger
    private let published: Counter
    private let failures: Counter

    public init(
        pool: PostgresPool, schema: String, producer: KafkaProducer,
        signal: OutboxSignal?, configuration: Configuration = .init(), logger: Logger
    ) {
        self.pool = pool
        self.schema = schema
        self.producer = producer
        self.signal = signal
        self.configuration = configuration
        self.logger = logger
        self.published = Counter(label: "gbm_outbox_published_total", dimensions: [("schema", schema)])
        self.failures = Counter(label: "gbm_outbox_publish_failures_total", dimensions: [("schema", schema)])
    }

    public func run() async throws {
        let wakeups = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // Turn commit signals and the poll timer into one stream of wake-ups (coalesced to one pending).
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let signal {
                    group.addTask {
                        for await _ in signal.wakeups { wakeups.continuation.yield() }
                    }
                }
                if configuration.listens {
                    let listener = PostgresListener(
                        configuration: pool.configuration, channels: [OutboxSignal.channel(schema: schema)],
                        logger: logger)
                    group.addTask { try? await listener.run() }
                    group.addTask { [signal] in
                        // This process's own notifications come after its signal has already woken the relay.
                        // A reconnect (empty payload) wakes it too, for what was sent while it was away.
                        for await notification in listener.notifications where notification.payload != signal?.instanceID {
                            wakeups.continuation.yield()
                        }
                    }
                }
                group.addTask { [configuration] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: configuration.pollInterval)
                        wakeups.continuation.yield()
                    }
                }
                // The publishing loop runs here, not as a child task: it alone decides when the relay stops
                // (its wake-ups end on graceful shutdown, after the batch in hand), while the listener, which
                // also stops on graceful shutdown, may finish first.
                var backoff = configuration.initialBackoff
                var lastCleanup = ContinuousClock.now
                for await _ in wakeups.stream {
                    do {
                        var outcome = try await publish()
                        while outcome == .full { outcome = try await publish() }
                        backoff = configuration.initialBackoff
                        if outcome == .locked {
                            try? await Task.sleep(for: configuration.lockRetryInterval)
                            wakeups.continuation.yield()
                        }
                    } catch {
                        failures.increment()
                        logger.warning("outbox publish failed; retrying", metadata: [
                            "outbox.schema": "\(schema)", "error": "\(error)",
                            "outbox.backoff": "\(backoff)",
                        ])
                        try? await Task.sleep(for: backoff)
                        backoff = min(backoff * 2, configuration.maxBackoff)
                        wakeups.continuation.yield()
                    }
                    if ContinuousClock.now - lastCleanup > .seconds(600) {
                        lastCleanup = .now
                        try? await deletePublished()
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wakeups.continuation.finish()
        }
    }

    /// Publishes up to one batch; returns how many events were taken (0 when none, or when another
    /// replica holds the relay lock).
    @discardableResult
    public func publishBatch() async throws -> Int {
        try await publishBatchInTransaction().taken
    }

    /// What one pass found: another relay publishing, a full batch (look again now), or less.
    private enum Outcome { case locked, full, drained }

    private func publish() async throws -> Outcome {
        let (locked, taken) = try await publishBatchInTransaction()
        if !locked { return .locked }
        return taken == configuration.batchSize ? .full : .drained
    }

    /// Throws after the commit when some events were not acknowledged, so what was acknowledged stays sent.
    private func publishBatchInTransaction() async throws -> (locked: Bool, taken: Int) {
        let (locked, taken, failure) = try await pool.transaction { connection -> (Bool, Int, OutboxPublishError?) in
            // The commit that marks events sent does not wait for its WAL flush: were it lost in a crash, the
            // events would be published again, in order, and consumers' inboxes drop what they already applied.
            // It no longer holds up the next batch, nor queues behind the writers' flushes.
            // One round trip: the relay lock, then (only when it was granted) the batch.
            let rows = try await connection.query("""
                SELECT lock.locked, batch.*
                FROM (SELECT pg_try_advisory_xact_lock(hashtext(\("gbm.outbox." + schema))) AS locked,
                    set_config('synchronous_commit', 'off', true) AS synchronous_commit) AS lock
                LEFT JOIN LATERAL (
                    SELECT id, topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, payload
                    FROM \(identifier: schema).outbox
                    WHERE lock.locked
                    ORDER BY id
                    LIMIT \(configuration.batchSize)
                    FOR UPDATE SKIP LOCKED
                ) AS batch ON true
                """).rows
            guard try rows.first?.decode("locked", as: Bool.self) == true else { return (false, 0, nil) }
            guard try rows.first?.decode("id", as: Int64?.self) != nil else { return (true, 0, nil) }
            var ids: [Int64] = []
            var records: [KafkaProducerRecord] = []
            ids.reserveCapacity(rows.count)
            records.reserveCapacity(rows.count)
            for row in rows {
                ids.append(try row.decode("id", as: Int64.self))
                let event = CloudEvent(
                    id: try row.decode("ce_id"), source: try row.decode("ce_source"), type: try row.decode("ce_type"),
                    time: try row.decode("ce_time"), subject: try row.decode("ce_subject", as: String?.self),
                    data: Array(try row.decode("payload", as: String.self).utf8))
                records.append(KafkaProducerRecord(event: event, topic: try row.decode("topic")))
            }
            let results = await producer.send(records)
            var sent: [Int64] = []
            var failed: [Int64] = []
            var firstError: KafkaError?
            for (id, result) in zip(ids, results) {
                switch result {
                case .success: sent.append(id)
                case .failure(let error):
                    failed.append(id)
                    if firstError == nil { firstError = error }
                }
            }
            if !sent.isEmpty {
                // Sent events leave the outbox; an audit row says what went out when (the payload is on the topic).
                try await connection.query("""
                    WITH sent AS (
                        DELETE FROM \(identifier: schema).outbox WHERE id = ANY(\(sent))
                        RETURNING id, topic, partition_key, ce_id, ce_type, created_at
                    )
                    INSERT INTO \(identifier: schema).outbox_published
                        (id, topic, partition_key, ce_id, ce_type, created_at, published_at)
                    SELECT id, topic, partition_key, ce_id, ce_type, created_at, clock_timestamp() FROM sent
                    """)
                published.increment(by: sent.count)
            }
            if let firstError {
                try await connection.query("""
                    UPDATE \(identifier: schema).outbox SET attempts = attempts + 1, last_error = \(firstError.description)
                    WHERE id = ANY(\(failed))
                    """)
                return (true, rows.count, OutboxPublishError(failed: failed.count, first: firstError))
            }
            return (true, rows.count, nil)
        }
        if let failure { throw failure }
        return (locked, taken)
    }

    /// Deletes published events older than the retention period.
    public func deletePublished() async throws {
        let cutoff = Date().addingTimeInterval(-Double(configuration.retention.components.seconds))
        try await pool.query(
            "DELETE FROM \(identifier: schema).outbox_published WHERE published_at < \(cutoff)")
    }
}

/// Some events of a batch were not acknowledged; they stay in the outbox and are sent again.
public struct OutboxPublishError: Error, CustomStringConvertible {
    public var failed: Int
    public var first: KafkaError
    public var description: String { "\(failed) event(s) not acknowledged: \(first)" }
}
