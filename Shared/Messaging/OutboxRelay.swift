import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Publishes a service's outbox to Kafka: in id order, marking an event sent only after the broker acknowledged
/// it (it moves from `outbox` to the audit table `outbox_published`; its payload stays in `outbox_payload`, both kept
/// for `retention` so that ``OutboxArchive`` can republish it), retrying with back-off while the broker is unreachable.
///
/// Order per key is the promise: a later event of a key (topic and partition key) is never published while an
/// earlier one is unpublished. Within one send the producer holds a key's later records back behind one it
/// refused; across sends, once a row has failed (`attempts > 0`) it is retried alone, and its key's later rows
/// wait until it is sent. A row that failed with an error that retrying cannot fix (the broker refuses the record
/// itself, e.g. it is too large) is *parked* after `maxAttempts` attempts: logged, counted
/// (`gbm_outbox_parked_total`, `gbm_outbox_parked_rows`) and left in the outbox with `parked_at` set, where
/// ``parkedCount()`` finds it. A parked row still holds its key's later rows back; the relay carries on with
/// other keys. An operator clears `parked_at` and `attempts` to retry it, or deletes it to let its key go on (its
/// row in `outbox_payload` is then pruned with the archive).
///
/// It wakes when a transaction of this process that wrote events commits (`OutboxSignal`), when another
/// replica's signal sends a NOTIFY on the schema's outbox channel, and at every poll, which also covers
/// notifications missed while its listening connection was down. Several replicas may run it: a
/// transaction-level advisory lock lets one publish at a time, so no event goes out twice in normal operation
/// and none is skipped; a relay that finds the lock taken looks again after `lockRetryInterval`, since the
/// other replica may have started before our commit.
///
/// A fatal producer error (the idempotent producer fenced or out of sequence) is cleared by the producer,
/// which replaces its librdkafka client; the unsent events then go out, in order, on the new one.
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
        /// How long published events are kept (with their payloads, for audit and republishing) before they are
        /// deleted (`GBM_OUTBOX_RETENTION_HOURS`).
        public var retention: Duration = .seconds(7 * 24 * 3600)
        /// How often the relay deletes the published events older than `retention`, and how many rows each of the
        /// short statements that do it deletes.
        public var pruneInterval: Duration = .seconds(600)
        public var pruneBatchSize: Int = 1_000
        /// After how many failed attempts a row the broker refuses for good is parked.
        public var maxAttempts: Int = 10

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
    private let parked: Counter
    private let parkedRows: Gauge
    /// From an event's outbox write to the broker's acknowledgement (the relay's share of event latency).
    private let publishLatency: Metrics.Timer
    private let passCounts = Mutex(Passes())

    /// The passes over the outbox this relay has made: each one a transaction that asked for the relay lock and,
    /// when it got it, took a batch.
    public struct Passes: Sendable, Equatable {
        /// Every pass, from the first look at start on.
        public var total = 0
        /// The passes that found another replica holding the relay lock (and looked again after
        /// `lockRetryInterval`).
        public var locked = 0
    }

    /// The passes made so far: how a reader tells "it looked and found nothing" from "it has not looked yet".
    public var passes: Passes { passCounts.withLock { $0 } }

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
        self.parked = Counter(label: "gbm_outbox_parked_total", dimensions: [("schema", schema)])
        self.parkedRows = Gauge(label: "gbm_outbox_parked_rows", dimensions: [("schema", schema)])
        self.publishLatency = Metrics.Timer(label: "gbm_outbox_publish_latency_seconds", dimensions: [("schema", schema)])
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
                // Pruning runs beside publishing, in batches of its own: a week's worth of rows never holds up a batch.
                group.addTask { [self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: configuration.pruneInterval)
                        guard !Task.isCancelled else { return }
                        do {
                            try await deletePublished()
                        } catch {
                            logger.warning("pruning published outbox events failed", metadata: [
                                "outbox.schema": "\(schema)", "error": "\(error)",
                            ])
                        }
                    }
                }
                // The publishing loop runs here, not as a child task: it alone decides when the relay stops
                // (its wake-ups end on graceful shutdown, after the batch in hand), while the listener, which
                // also stops on graceful shutdown, may finish first.
                var backoff = configuration.initialBackoff
                if let count = try? await parkedCount() { parkedRows.record(count) }
                for await _ in wakeups.stream {
                    do {
                        var outcome = try await publish()
                        while outcome == .published { outcome = try await publish() }
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

    /// What one pass found: another relay publishing, events published (look again now: more may wait, or
    /// may have been held back behind a row just sent), or none.
    private enum Outcome { case locked, published, drained }

    private func publish() async throws -> Outcome {
        let (locked, taken) = try await publishBatchInTransaction()
        passCounts.withLock { counts in
            counts.total += 1
            if !locked { counts.locked += 1 }
        }
        if !locked { return .locked }
        return taken > 0 ? .published : .drained
    }

    /// Throws after the commit when some events were not acknowledged, so what was acknowledged stays sent.
    private func publishBatchInTransaction() async throws -> (locked: Bool, taken: Int) {
        let (locked, taken, failure) = try await pool.transaction { connection -> (Bool, Int, OutboxPublishError?) in
            // The commit that marks events sent does not wait for its WAL flush: were it lost in a crash, the
            // events would be published again, in order, and consumers' inboxes drop what they already applied.
            // It no longer holds up the next batch, nor queues behind the writers' flushes.
            // One round trip: the relay lock, then (only when it was granted) the batch.
            // A key is held back behind its first failed or parked row: that row (unless parked) is retried
            // alone and the key's later rows wait.
            let rows = try await connection.query("""
                SELECT lock.locked, batch.*
                FROM (SELECT pg_try_advisory_xact_lock(hashtext(\("gbm.outbox." + schema))) AS locked,
                    set_config('synchronous_commit', 'off', true) AS synchronous_commit) AS lock
                LEFT JOIN LATERAL (
                    SELECT o.id, o.topic, o.partition_key, o.ce_id, o.ce_type, o.ce_source, o.ce_subject, o.ce_time,
                        o.created_at, o.traceparent, o.tracestate, coalesce(o.payload, p.payload) AS payload
                    FROM \(identifier: schema).outbox AS o
                    LEFT JOIN \(identifier: schema).outbox_payload AS p ON p.id = o.id
                    WHERE lock.locked AND o.parked_at IS NULL
                        AND NOT EXISTS (
                            SELECT FROM \(identifier: schema).outbox AS earlier
                            WHERE (earlier.attempts > 0 OR earlier.parked_at IS NOT NULL)
                                AND earlier.topic = o.topic AND earlier.partition_key = o.partition_key
                                AND earlier.id < o.id)
                    ORDER BY o.id
                    LIMIT \(configuration.batchSize)
                    FOR UPDATE OF o SKIP LOCKED
                ) AS batch ON true
                """).rows
            guard try rows.first?.decode("locked", as: Bool.self) == true else { return (false, 0, nil) }
            guard try rows.first?.decode("id", as: Int64?.self) != nil else { return (true, 0, nil) }
            var ids: [Int64] = []
            var records: [KafkaProducerRecord] = []
            var written: [Date] = []
            ids.reserveCapacity(rows.count)
            records.reserveCapacity(rows.count)
            written.reserveCapacity(rows.count)
            for row in rows {
                ids.append(try row.decode("id", as: Int64.self))
                written.append(try row.decode("created_at", as: Date.self))
                let event = CloudEvent(
                    id: try row.decode("ce_id"), source: try row.decode("ce_source"), type: try row.decode("ce_type"),
                    time: try row.decode("ce_time"), subject: try row.decode("ce_subject", as: String?.self),
                    data: Array(try row.decode("payload", as: String.self).utf8),
                    trace: TraceContext(
                        traceparent: try row.decode("traceparent", as: String?.self),
                        tracestate: try row.decode("tracestate", as: String?.self)))
                records.append(KafkaProducerRecord(event: event, topic: try row.decode("topic")))
            }
            let results = await producer.send(records)
            let acknowledged = Date()
            var sent: [Int64] = []
            var failed: [Int64] = []
            var errors: [String] = []
            var rejected: [Int64] = []
            var firstError: KafkaError?
            for ((id, createdAt), result) in zip(zip(ids, written), results) {
                switch result {
                case .success:
                    sent.append(id)
                    publishLatency.recordSeconds(max(0, acknowledged.timeIntervalSince(createdAt)))
                case .failure(let error):
                    failed.append(id)
                    errors.append(error.description)
                    if error.isRecordRejected { rejected.append(id) }
                    if firstError == nil { firstError = error }
                }
            }
            if !sent.isEmpty {
                // Sent events leave the outbox, which holds only what is still to send, for a narrow audit row: what
                // went out when. The payload stays where the writer put it, in `outbox_payload`; only a row written
                // before messaging migration 5 carries its own, which is archived now.
                try await connection.query("""
                    WITH sent AS (
                        DELETE FROM \(identifier: schema).outbox WHERE id = ANY(\(sent))
                        RETURNING id, topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, created_at,
                            republished_from, payload
                    ), archived AS (
                        INSERT INTO \(identifier: schema).outbox_payload (id, payload)
                        SELECT id, payload FROM sent WHERE payload IS NOT NULL
                        ON CONFLICT (id) DO NOTHING
                    )
                    INSERT INTO \(identifier: schema).outbox_published
                        (id, topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, created_at,
                         published_at, republished_from)
                    SELECT id, topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, created_at,
                        clock_timestamp(), republished_from
                    FROM sent
                    """)
                published.increment(by: sent.count)
            }
            if let firstError {
                try await recordFailures(failed, errors: errors, rejected: rejected, on: connection)
                return (true, rows.count, OutboxPublishError(failed: failed.count, first: firstError))
            }
            return (true, rows.count, nil)
        }
        if let failure { throw failure }
        return (locked, taken)
    }

    /// Counts a failed attempt for each row, and parks those the broker refused for good `maxAttempts` times.
    private func recordFailures(
        _ ids: [Int64], errors: [String], rejected: [Int64], on connection: PostgresConnection
    ) async throws {
        let parkedNow = try await connection.query("""
            UPDATE \(identifier: schema).outbox AS o
            SET attempts = o.attempts + 1, last_error = f.error,
                parked_at = CASE WHEN o.id = ANY(\(rejected)::int8[]) AND o.attempts + 1 >= \(configuration.maxAttempts)
                    THEN clock_timestamp() END
            FROM unnest(\(ids)::int8[], \(errors)::text[]) AS f(id, error)
            WHERE o.id = f.id
            RETURNING o.id, o.topic, o.partition_key, o.ce_id, o.attempts, o.last_error, o.parked_at IS NOT NULL AS parked
            """).rows.filter { try $0.decode("parked", as: Bool.self) }
        guard !parkedNow.isEmpty else { return }
        for row in parkedNow {
            let metadata: Logger.Metadata = [
                "outbox.schema": "\(schema)", "outbox.id": "\(try row.decode("id", as: Int64.self))",
                "event.id": "\(try row.decode("ce_id", as: String.self))",
                "kafka.topic": "\(try row.decode("topic", as: String.self))",
                "outbox.attempts": "\(try row.decode("attempts", as: Int.self))",
                "error": "\(try row.decode("last_error", as: String.self))",
            ]
            logger.error("outbox event parked: the broker refuses it; later events of its key wait behind it",
                         metadata: metadata)
        }
        parked.increment(by: parkedNow.count)
        parkedRows.record(try await connection.query(countParked).rows.first?.decode("n", as: Int.self) ?? 0)
    }

    /// How many outbox rows are parked (and hold their keys back): for readiness detail and operators.
    public func parkedCount() async throws -> Int {
        try await pool.query(countParked).rows.first?.decode("n", as: Int.self) ?? 0
    }

    private var countParked: PostgresQuery {
        "SELECT count(*)::int8 AS n FROM \(identifier: schema).outbox WHERE parked_at IS NOT NULL"
    }

    /// Deletes the published events older than the retention period, in batches of `pruneBatchSize`; returns how
    /// many. The relay does this every `pruneInterval`.
    @discardableResult
    public func deletePublished() async throws -> Int {
        let cutoff = Date().addingTimeInterval(-Double(configuration.retention.components.seconds))
        return try await OutboxArchive(pool: pool, schema: schema)
            .prune(publishedBefore: cutoff, batchSize: configuration.pruneBatchSize)
    }
}

/// Some events of a batch were not acknowledged; they stay in the outbox and are sent again.
public struct OutboxPublishError: Error, CustomStringConvertible {
    public var failed: Int
    public var first: KafkaError
    public var description: String { "\(failed) event(s) not acknowledged: \(first)" }
}
