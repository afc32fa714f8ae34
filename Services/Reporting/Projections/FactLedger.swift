import Contracts
import Messaging
import Postgres

/// Writes an event's facts, keyed by the event (`ce_source`, `ce_id`) and their position in its list: the inbox
/// already drops a redelivered event, and the key makes a second write of the same event a no-op even without it.
/// Because no fact depends on another event, arrival order does not matter.
enum FactLedger {
    static func record(_ facts: [Fact], of event: CloudEvent, on connection: PostgresConnection) async throws {
        guard !facts.isEmpty else { return }
        try await connection.query("""
            INSERT INTO fact (ce_source, ce_id, seq, metric, dimension, region_code, day, value)
            SELECT \(event.source), \(event.id), f.seq, f.metric, f.dimension, f.region_code, f.day::date, f.value
            FROM unnest(\(facts.indices.map { Int32($0) })::int4[], \(facts.map(\.metric.rawValue))::text[],
                \(facts.map(\.dimension))::text[], \(facts.map(\.regionCode))::text[],
                \(facts.map(\.day.description))::text[], \(facts.map(\.value))::int8[])
                AS f(seq, metric, dimension, region_code, day, value)
            ON CONFLICT DO NOTHING
            """)
        try await LiveFeed.append(facts, of: event, on: connection)
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
