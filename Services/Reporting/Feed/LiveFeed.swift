import Contracts
import Foundation
import Postgres

/// The live feed dashboards subscribe to: one entry per applied event, numbered in commit order, carrying only what
/// the projections took from it (type, topic, division, day and its facts) and never its payload, so no personal
/// data can reach a subscriber. Numbers come from a one-row counter updated in the applying transaction, so a later
/// number never becomes visible before an earlier one: a client that resumes after the last number it saw
/// (`Last-Event-ID`) misses nothing. The feed is keyed by the event and survives a rebuild (a replayed event keeps
/// its entry; the counter may skip numbers, which is no gap).
enum LiveFeed {
    struct Entry: Codable, Sendable, Equatable {
        struct FactValue: Codable, Sendable, Equatable {
            var metric: String
            var dimension: String
            var regionCode: String
            var value: Int64
            /// The fact's day (an entry's facts may fall on different days: a rescheduling moves an activity from
            /// one day to another); absent in entries recorded before it was kept, whose facts fall on `day`.
            var day: String?
        }

        var id: Int64
        var type: String
        var topic: String
        var regionCode: String
        var day: String
        var facts: [FactValue]
    }

    struct Filter: Sendable {
        /// A division and everything under it; nil: all.
        var scope: RegionScope
        var topic: String?
        var type: String?
    }

    /// Appends the event's entry in the applying transaction.
    static func append(_ facts: [Fact], of event: CloudEvent, on connection: PostgresConnection) async throws {
        let topic = event.eventType?.topic.name ?? ""
        let region = facts.first { !$0.regionCode.isEmpty }?.regionCode ?? ""
        let values = facts.map {
            Entry.FactValue(metric: $0.metric.rawValue, dimension: $0.dimension, regionCode: $0.regionCode, value: $0.value,
                            day: $0.day.description)
        }
        let json = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
        try await connection.query("""
            WITH next AS (UPDATE feed_counter SET last = last + 1 RETURNING last)
            INSERT INTO feed_entry (id, ce_source, ce_id, ce_type, topic, region_code, day, facts)
            SELECT next.last, \(event.source), \(event.id), \(event.type), \(topic), \(region),
                \((facts.first?.day ?? WorkingDayCalendar.day(of: event.time)).description)::date, \(json)::jsonb
            FROM next
            ON CONFLICT (ce_source, ce_id) DO NOTHING
            """)
    }

    /// The entries after `id` that pass `filter`, oldest first, at most `limit`.
    static func entries(after id: Int64, filter: Filter, limit: Int, pool: PostgresPool) async throws -> [Entry] {
        let rows = try await pool.query("""
            SELECT id, ce_type, topic, region_code, to_char(day, 'YYYY-MM-DD') AS day, facts::text AS facts FROM feed_entry
            WHERE id > \(id) AND region_code LIKE \(filter.scope.pattern)
              AND (\(filter.topic)::text IS NULL OR topic = \(filter.topic)::text)
              AND (\(filter.type)::text IS NULL OR ce_type = \(filter.type)::text)
            ORDER BY id LIMIT \(limit)
            """)
        return try rows.rows.map { row in
            Entry(
                id: try row.decode("id"), type: try row.decode("ce_type"), topic: try row.decode("topic"),
                regionCode: try row.decode("region_code"), day: try row.decode("day"),
                facts: try JSONDecoder().decode([Entry.FactValue].self, from: Data(try row.decode("facts", as: String.self).utf8)))
        }
    }
}
