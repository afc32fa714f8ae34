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

        /// Whether `entry` passes, as the database query would decide.
        func matches(_ entry: Entry) -> Bool {
            scope.contains(entry.regionCode) && (topic.map { $0 == entry.topic } ?? true)
                && (type.map { $0 == entry.type } ?? true)
        }
    }

    /// Appends the events' entries in the applying transaction, numbered in the order given: the counter moves by
    /// their number once, so a batch takes one round trip. An event that has its entry already (a replay) keeps it.
    static func append(_ recorded: [FactLedger.Recorded], on connection: PostgresConnection) async throws {
        guard !recorded.isEmpty else { return }
        var sources: [String] = [], ids: [String] = [], types: [String] = [], topics: [String] = []
        var regions: [String] = [], days: [String] = [], facts: [String] = []
        let encoder = JSONEncoder()
        for item in recorded {
            let values = item.facts.map {
                Entry.FactValue(metric: $0.metric.rawValue, dimension: $0.dimension, regionCode: $0.regionCode, value: $0.value,
                                day: $0.day.description)
            }
            sources.append(item.event.source)
            ids.append(item.event.id)
            types.append(item.event.type)
            topics.append(item.event.eventType?.topic.name ?? "")
            regions.append(item.facts.first { !$0.regionCode.isEmpty }?.regionCode ?? "")
            days.append((item.facts.first?.day ?? WorkingDayCalendar.day(of: item.event.time)).description)
            facts.append(String(decoding: try encoder.encode(values), as: UTF8.self))
        }
        try await connection.query("""
            WITH next AS (UPDATE feed_counter SET last = last + \(Int64(recorded.count)) RETURNING last)
            INSERT INTO feed_entry (id, ce_source, ce_id, ce_type, topic, region_code, day, facts)
            SELECT next.last - \(Int64(recorded.count)) + e.n, e.ce_source, e.ce_id, e.ce_type, e.topic, e.region_code,
                e.day::date, e.facts::jsonb
            FROM next, unnest(\(sources)::text[], \(ids)::text[], \(types)::text[], \(topics)::text[], \(regions)::text[],
                \(days)::text[], \(facts)::text[]) WITH ORDINALITY AS e(ce_source, ce_id, ce_type, topic, region_code, day, facts, n)
            ON CONFLICT (ce_source, ce_id) DO NOTHING
            """)
        connection.afterCommit { FeedSignal.shared.wake() }
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
