import Metrics
import Postgres
import Synchronization

/// Search answers kept by query, as the bytes sent, while the catalogue has not changed since they were made.
///
/// Every write that changes what a search can return (a certificate issued or changed, an enterprise renamed, a
/// local-list entry, an investigation flag) gives the certificates it touches a new `change_seq`, and those numbers
/// are taken in commit order (migration 104's change-feed lock). So the largest committed `change_seq` — one
/// backward step on its unique index — is a version of everything a search reads: an answer made after that
/// version was read is good until it moves. A request reads the version first and then searches, so a stored
/// answer is never older than the version it is stored under; a newer version drops every stored answer.
///
/// What people search for is skewed (a few terms are most of the traffic) while writes are rare, so most searches
/// are answered from here; a replica keeps its own. The version is also the response's `ETag`, so a client that
/// sends it back (`If-None-Match`) gets 304 without a search. `capacity` 0 turns the store off (the version and
/// ETag stay).
final class SearchCache: Sendable {
    /// A stored answer's bytes.
    struct Entry: Sendable {
        var body: [UInt8]
        var lastUse: UInt64
    }

    private struct State: ~Copyable {
        var version: Int64 = -1
        var entries: [String: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    let capacity: Int
    let maxBytes: Int
    private let state = Mutex(State())
    private let hits = Counter(label: "catalogue_search_cache_hits_total")
    private let misses = Counter(label: "catalogue_search_cache_misses_total")

    init(capacity: Int, maxBytes: Int = 64 << 20) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    /// The catalogue's version now: the largest committed change-feed number.
    static func version(on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT coalesce(max(change_seq), 0) AS v FROM certificates").rows
        return try rows.first?.decode("v", as: Int64.self) ?? 0
    }

    /// The answer stored for `key` at `version`, if any.
    func answer(for key: String, at version: Int64) -> [UInt8]? {
        guard capacity > 0 else { return nil }
        let body: [UInt8]? = state.withLock { state in
            guard state.version == version, var entry = state.entries[key] else { return nil }
            state.tick += 1
            entry.lastUse = state.tick
            state.entries[key] = entry
            return entry.body
        }
        (body == nil ? misses : hits).increment()
        return body
    }

    /// Stores `body` as the answer for `key` made after reading `version`; a newer version than the stored answers'
    /// drops them, an older one (a slow request overtaken by a write) is not stored.
    func store(_ body: [UInt8], for key: String, at version: Int64) {
        guard capacity > 0, body.count <= maxBytes / 16 else { return }
        state.withLock { state in
            if version > state.version {
                state.entries.removeAll(keepingCapacity: true)
                state.bytes = 0
                state.version = version
            }
            guard version == state.version else { return }
            state.tick += 1
            if let old = state.entries.updateValue(Entry(body: body, lastUse: state.tick), forKey: key) {
                state.bytes -= old.body.count
            }
            state.bytes += body.count
            if state.entries.count > capacity || state.bytes > maxBytes {
                // The least recently used quarter goes at once: sorting on every store would cost more than it saves.
                let keep = min(capacity, state.entries.count) * 3 / 4
                let ordered = state.entries.sorted { $0.value.lastUse > $1.value.lastUse }
                var kept: [String: Entry] = [:]
                kept.reserveCapacity(capacity)
                var bytes = 0
                for (key, entry) in ordered.prefix(keep) where bytes + entry.body.count <= maxBytes * 3 / 4 {
                    kept[key] = entry
                    bytes += entry.body.count
                }
                state.entries = kept
                state.bytes = bytes
            }
        }
    }

    /// How many answers are stored (tests).
    var count: Int { state.withLock { $0.entries.count } }
}
