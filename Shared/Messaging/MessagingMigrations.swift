import Postgres

/// The tables every service's schema has for messaging: the transactional outbox and the inbox.
///
/// Versions 1–99 of every schema belong to the platform; a service numbers its own migrations from 100.
public enum MessagingMigrations {
    public static let all: [PostgresMigration] = [
        PostgresMigration(version: 1, name: "outbox and inbox", sql: """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                topic text NOT NULL,
                partition_key text NOT NULL,
                ce_id text NOT NULL UNIQUE,
                ce_type text NOT NULL,
                ce_source text NOT NULL,
                ce_subject text,
                ce_time timestamptz NOT NULL,
                payload text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                last_error text
            );
            CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
            CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

            -- Wakes the relay when a transaction that wrote events commits (NOTIFY is delivered on commit only).
            CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
                RETURN NULL;
            END $$;
            CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
                FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

            CREATE TABLE inbox (
                ce_source text NOT NULL,
                ce_id text NOT NULL,
                ce_type text NOT NULL,
                topic text NOT NULL,
                kafka_partition integer NOT NULL,
                kafka_offset bigint NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (ce_source, ce_id)
            );
            """),
        // A NOTIFY makes PostgreSQL serialise its transaction's commit, WAL flush included, behind every other
        // notifying transaction's: with the trigger, event-writing requests committed one fsync at a time.
        // Relays are now woken after the commit by `OutboxSignal`: in process, and across replicas by a NOTIFY
        // sent from a transaction of its own.
        PostgresMigration(version: 2, name: "outbox without NOTIFY", sql: """
            DROP TRIGGER outbox_notify ON outbox;
            DROP FUNCTION outbox_notify();
            """),
        // Marking an event sent rewrote its whole row (payload included) with new entries in every index, five WAL
        // records an event: 23 ms for a batch of 2,000. The relay now deletes the sent rows from the outbox (one
        // record each) and keeps a narrow audit row per event in `outbox_published`; the payload is on the topic.
        PostgresMigration(version: 3, name: "published events leave the outbox for an audit table", sql: """
            CREATE TABLE outbox_published (
                id bigint PRIMARY KEY,
                topic text NOT NULL,
                partition_key text NOT NULL,
                ce_id text NOT NULL,
                ce_type text NOT NULL,
                created_at timestamptz NOT NULL,
                published_at timestamptz NOT NULL
            );
            CREATE INDEX outbox_published_published_at ON outbox_published (published_at);
            INSERT INTO outbox_published (id, topic, partition_key, ce_id, ce_type, created_at, published_at)
                SELECT id, topic, partition_key, ce_id, ce_type, created_at, published_at
                FROM outbox WHERE published_at IS NOT NULL;
            DELETE FROM outbox WHERE published_at IS NOT NULL;
            DROP INDEX outbox_unpublished;
            DROP INDEX outbox_published_at;
            ALTER TABLE outbox DROP COLUMN published_at;
            """),
            // A row that can never be published (larger than the broker accepts) was retried for ever, and later events
        // of its key overtook it. The relay now holds a key back behind its first failed row, and parks a row that
        // failed permanently `maxAttempts` times: it stays in the outbox, still holding its key back (order is the
        // promise), until an operator clears `parked_at` (to retry) or deletes it. The partial index serves both
        // the relay's look-up of held-back keys and the parked count, and is empty while all is well.
        PostgresMigration(version: 4, name: "outbox rows that fail are parked and hold their key back", sql: """
            ALTER TABLE outbox ADD COLUMN parked_at timestamptz;
            CREATE INDEX outbox_held_back ON outbox (topic, partition_key, id)
                WHERE attempts > 0 OR parked_at IS NOT NULL;
            """),
        // A published event kept only a narrow audit row: the payload was on the topic alone, so nothing could be
        // sent again after a partner lost data or a topic was recreated. Payloads now live in `outbox_payload`,
        // written with the event and kept after it is published, for the retention period (`GBM_OUTBOX_RETENTION_HOURS`,
        // pruned in small batches with the audit rows), so that `<service> republish` can put a time range of events
        // back into the outbox (``OutboxArchive``). The relay still deletes a sent row from `outbox` and inserts a
        // narrow audit row: moving the payload along with it doubled the marking's cost (1 KB events: 0.74 → 2.7 MB
        // of WAL, 28 → 58 ms for 2,000), where the writer's second insert costs about 10 µs an event and the relay's
        // look-up of payloads by id a few milliseconds a batch. `outbox.payload` is only read for rows written before
        // this version (the relay archives their payloads when it sends them). A re-queued row names the row it
        // copies (`republished_from`). Events published before this version have no payload and cannot be republished.
        PostgresMigration(version: 5, name: "payloads kept after publishing, for republishing", sql: """
            CREATE TABLE outbox_payload (
                id bigint PRIMARY KEY,
                payload text NOT NULL
            );
            ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
            ALTER TABLE outbox ADD COLUMN republished_from bigint;
            ALTER TABLE outbox_published
                ADD COLUMN ce_source text,
                ADD COLUMN ce_subject text,
                ADD COLUMN ce_time timestamptz,
                ADD COLUMN republished_from bigint;
            """),
        // The W3C trace context of the work that appended the event (when the service traces), for the relay to
        // carry into the record as the CloudEvents distributed-tracing extension.
        PostgresMigration(version: 6, name: "outbox rows carry their trace context", sql: """
            ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
            """),
    ]
}
