import Contracts
import Messaging
import Postgres

/// Writes an event's facts, keyed by the event (`ce_source`, `ce_id`) and their position in its list: the inbox
/// already drops a redelivered event, and the key makes a second write of the same event a no-op even without it.
/// Because no fact depends on another event, arrival order does not matter.
enum FactLedger {
    /// One event's facts, waiting for the end of its transaction.
    struct Recorded: Sendable {
        var event: CloudEvent
        var facts: [Fact]
    }

    /// Records the event's facts and its live-feed entry: at the end of the consumer's transaction, with every other
    /// event of its batch in one statement each (``EventBatch``), or at once outside one.
    static func record(_ facts: [Fact], of event: CloudEvent, on connection: PostgresConnection) async throws {
        guard !facts.isEmpty else { return }
        let recorded = Recorded(event: event, facts: facts)
        if let batch = EventBatch.current {
            batch.append([recorded], for: FactLedger.self) { connection, all in try await write(all, on: connection) }
        } else {
            try await write([recorded], on: connection)
        }
    }

    /// Writes the facts of `recorded` with one statement and their feed entries, in that order, with another.
    static func write(_ recorded: [Recorded], on connection: PostgresConnection) async throws {
        var sources: [String] = [], ids: [String] = [], seqs: [Int32] = [], metrics: [String] = []
        var dimensions: [String] = [], regions: [String] = [], days: [String] = [], values: [Int64] = []
        for item in recorded {
            for (index, fact) in item.facts.enumerated() {
                sources.append(item.event.source)
                ids.append(item.event.id)
                seqs.append(Int32(index))
                metrics.append(fact.metric.rawValue)
                dimensions.append(fact.dimension)
                regions.append(fact.regionCode)
                days.append(fact.day.description)
                values.append(fact.value)
            }
        }
        try await connection.query("""
            INSERT INTO fact (ce_source, ce_id, seq, metric, dimension, region_code, day, value)
            SELECT f.ce_source, f.ce_id, f.seq, f.metric, f.dimension, f.region_code, f.day::date, f.value
            FROM unnest(\(sources)::text[], \(ids)::text[], \(seqs)::int4[], \(metrics)::text[], \(dimensions)::text[],
                \(regions)::text[], \(days)::text[], \(values)::int8[])
                AS f(ce_source, ce_id, seq, metric, dimension, region_code, day, value)
            ON CONFLICT DO NOTHING
            """)
        try await LiveFeed.append(recorded, on: connection)
    }

    /// A handler that records the facts `derive` finds in a payload.
    static func handler<Payload: EventPayload>(
        _ type: Payload.Type, _ derive: @escaping @Sendable (Payload) -> [Fact]
    ) -> EventHandler {
        .on(type) { payload, event, connection in
            try await record(derive(payload), of: event, on: connection)
        }
    }
}
