import Contracts
import Foundation
import Postgres

/// The live aggregates dashboards subscribe to (`GET /feed/overview`): a scope's overview, sent again whenever an
/// event in the scope has been applied. Each frame is the whole state (not a delta), numbered by the last live-feed
/// entry it includes, so a client that reconnects with `Last-Event-ID` gets the current state at once if anything
/// changed since, and misses nothing either way.
///
/// Subscribers of the same scope share one computation: an overview is read once per change of the scope, however
/// many dashboards watch it.
actor OverviewStream {
    /// The latest overview computed for a scope and day, with the feed position it includes.
    private struct Computed {
        var position: Int64
        var overview: OverviewView
    }

    private let queries: ProjectionQueries
    private var computed: [String: Computed] = [:]
    private var inFlight: [String: Task<Computed, any Error>] = [:]

    init(queries: ProjectionQueries) {
        self.queries = queries
    }

    /// The last feed entry in `scope` (0 when none).
    func position(of scope: RegionScope) async throws -> Int64 {
        let rows = try await queries.context.pool.query("""
            SELECT coalesce(max(id), 0)::int8 AS id FROM feed_entry WHERE region_code LIKE \(scope.pattern)
            """)
        return try rows.first?.decode("id", as: Int64.self) ?? 0
    }

    /// The overview of `scope` on `day` including at least the feed entries up to `position`.
    func overview(scope: RegionScope, on day: CalendarDate, atLeast position: Int64) async throws -> (Int64, OverviewView) {
        let key = "\(scope.pattern)|\(day)"
        if let cached = computed[key], cached.position >= position { return (cached.position, cached.overview) }
        if let running = inFlight[key] {
            let result = try await running.value
            if result.position >= position { return (result.position, result.overview) }
        }
        let queries = self.queries
        let task = Task<Computed, any Error> {
            // The overview says which feed entry its figures include (read in the same statement as its sums).
            let overview = try await queries.overview(scope: scope, on: day)
            return Computed(position: overview.feedPosition, overview: overview)
        }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let result = try await task.value
        if (computed[key]?.position ?? -1) < result.position { computed[key] = result }
        return (result.position, result.overview)
    }
}
