import Foundation
import Postgres

/// The events a service's outbox has published, kept whole for the retention period (the audit row in
/// `outbox_published`, the payload in `outbox_payload`): pruned in small batches, and re-queued for publishing on
/// demand.
///
/// Re-queuing puts copies of the chosen events back into `outbox`, in their original order, where the relay
/// publishes them like any other: the same CloudEvent (`ce_id`, `ce_source`, type, time, subject, payload), the same
/// key, hence the same partition. Every consumer that already applied an event finds it in its inbox and drops the
/// copy; a consumer that lost it (a partner's system restored from a backup, a topic recreated) applies it. Copies
/// join the outbox behind whatever waits there already, so on a topic a copy may follow a later event of its key;
/// among themselves the copies keep their order.
public struct OutboxArchive: Sendable {
    public let pool: PostgresPool
    public let schema: String

    public init(pool: PostgresPool, schema: String) {
        self.pool = pool
        self.schema = schema
    }

    /// What a re-queue found and did.
    public struct Requeued: Sendable, Equatable {
        /// Events of the range with their payloads kept: what could be republished.
        public var found: Int
        /// Of those, how many were put into the outbox (the rest were still waiting there, unpublished).
        public var queued: Int
        /// Events of the range published before payloads were kept (messaging migration 5): not republishable.
        public var withoutPayload: Int
        /// When the first and the last event found were published.
        public var firstPublishedAt: Date?
        public var lastPublishedAt: Date?
    }

    /// Re-queues, in their original order, the retained events published in `since..<until` (on `topics` only,
    /// when given), and wakes the relays of every replica. An event is queued once however many times it was
    /// published; one still waiting in the outbox is not queued again. With `dryRun`, only counts.
    public func requeue(
        publishedSince since: Date, until: Date, topics: [String] = [], dryRun: Bool = false
    ) async throws -> Requeued {
        try await pool.transaction { connection in
            let counts = try await connection.query("""
                SELECT count(DISTINCT a.ce_id) FILTER (WHERE p.id IS NOT NULL)::int8 AS found,
                    count(DISTINCT a.ce_id) FILTER (WHERE p.id IS NULL)::int8 AS without_payload,
                    min(a.published_at) FILTER (WHERE p.id IS NOT NULL) AS first_published,
                    max(a.published_at) FILTER (WHERE p.id IS NOT NULL) AS last_published
                FROM \(identifier: schema).outbox_published AS a
                LEFT JOIN \(identifier: schema).outbox_payload AS p ON p.id = a.id
                WHERE a.published_at >= \(since) AND a.published_at < \(until)
                    AND (cardinality(\(topics)::text[]) = 0 OR a.topic = ANY(\(topics)::text[]))
                """).rows.first
            var result = Requeued(
                found: try counts?.decode("found", as: Int.self) ?? 0, queued: 0,
                withoutPayload: try counts?.decode("without_payload", as: Int.self) ?? 0,
                firstPublishedAt: try counts?.decode("first_published", as: Date?.self),
                lastPublishedAt: try counts?.decode("last_published", as: Date?.self))
            guard !dryRun, result.found > 0 else { return result }
            // The earliest archived row of each event (an event republished before has several), in id order: the
            // order it was first published in. New ids make the copies wait behind what the outbox holds now.
            // A copy gets a payload row of its own, as a written event does: the original's may be pruned first.
            let queued = try await connection.query("""
                WITH chosen AS (
                    SELECT DISTINCT ON (a.ce_id) a.id, a.topic, a.partition_key, a.ce_id, a.ce_type, a.ce_source,
                        a.ce_subject, a.ce_time, p.payload, coalesce(a.republished_from, a.id) AS original
                    FROM \(identifier: schema).outbox_published AS a
                    JOIN \(identifier: schema).outbox_payload AS p ON p.id = a.id
                    WHERE a.published_at >= \(since) AND a.published_at < \(until)
                        AND (cardinality(\(topics)::text[]) = 0 OR a.topic = ANY(\(topics)::text[]))
                    ORDER BY a.ce_id, a.id
                ), queued AS (
                    INSERT INTO \(identifier: schema).outbox
                        (topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, republished_from)
                    SELECT topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, original
                    FROM chosen ORDER BY id
                    ON CONFLICT (ce_id) DO NOTHING
                    RETURNING id, ce_id
                ), payloads AS (
                    INSERT INTO \(identifier: schema).outbox_payload (id, payload)
                    SELECT queued.id, chosen.payload FROM queued JOIN chosen ON chosen.ce_id = queued.ce_id
                )
                SELECT count(*)::int8 AS n, pg_notify(\(OutboxSignal.channel(schema: schema)), '') AS woken FROM queued
                """).rows.first
            result.queued = try queued?.decode("n", as: Int.self) ?? 0
            return result
        }
    }

    /// Deletes the archived events published before `cutoff` (audit rows and payloads), `batchSize` events per
    /// statement, each its own short transaction, until none is left; returns how many. Replicas pruning at once skip
    /// each other's rows. Then deletes, in the same batches, payloads nothing refers to any more: those below every
    /// id still in the outbox or the archive (an event an operator deleted from the outbox, say).
    @discardableResult
    public func prune(publishedBefore cutoff: Date, batchSize: Int = 1_000) async throws -> Int {
        let batchSize = max(1, batchSize)
        var total = 0
        while true {
            let deleted = try await pool.query("""
                WITH gone AS (
                    DELETE FROM \(identifier: schema).outbox_published
                    WHERE id IN (
                        SELECT id FROM \(identifier: schema).outbox_published
                        WHERE published_at < \(cutoff)
                        ORDER BY published_at
                        LIMIT \(batchSize)
                        FOR UPDATE SKIP LOCKED)
                    RETURNING id
                ), payloads AS (
                    DELETE FROM \(identifier: schema).outbox_payload WHERE id IN (SELECT id FROM gone)
                )
                SELECT count(*)::int8 AS n FROM gone
                """).first?.decode("n", as: Int.self) ?? 0
            total += deleted
            if deleted < batchSize { break }
            await Task.yield()
        }
        while true {
            let orphans = try await pool.query("""
                DELETE FROM \(identifier: schema).outbox_payload
                WHERE id IN (
                    SELECT id FROM \(identifier: schema).outbox_payload
                    WHERE id < least(
                        (SELECT min(id) FROM \(identifier: schema).outbox),
                        (SELECT min(id) FROM \(identifier: schema).outbox_published))
                    ORDER BY id
                    LIMIT \(batchSize)
                    FOR UPDATE SKIP LOCKED)
                """).affectedRows
            if orphans < batchSize { return total }
            await Task.yield()
        }
    }
}
