import Postgres
import Synchronization

/// Work that handlers defer to the end of the transaction applying their events, so that a batch of events costs
/// one statement per kind of write instead of one per event.
///
/// The consumer opens a batch around the handlers of every transaction it runs (a batch of many events, or one
/// alone) and flushes it after the last handler, before the commit: deferred writes commit or roll back with the
/// events' inbox rows exactly as immediate ones would. A handler appends its items under a key type; the first
/// append of a key registers how to write them, and the flush writes each key's items, in the order appended,
/// with one call. Outside a consumer's transaction (`current` is nil) a caller writes at once.
public final class EventBatch: Sendable {
    /// The batch of the transaction the current task applies events in, if any.
    @TaskLocal public static var current: EventBatch?

    private struct Pending: @unchecked Sendable {
        var items: [any Sendable]
        var flush: @Sendable (PostgresConnection, [any Sendable]) async throws -> Void
    }

    private let pending = Mutex<[(key: ObjectIdentifier, work: Pending)]>([])

    public init() {}

    /// Adds `items` to what `Key`'s `flush` writes at the end of the transaction.
    public func append<Key, Item: Sendable>(
        _ items: [Item], for key: Key.Type,
        flush: @escaping @Sendable (PostgresConnection, [Item]) async throws -> Void
    ) {
        let id = ObjectIdentifier(key)
        pending.withLock { pending in
            if let index = pending.firstIndex(where: { $0.key == id }) {
                pending[index].work.items.append(contentsOf: items.map { $0 as any Sendable })
            } else {
                pending.append((id, Pending(items: items.map { $0 as any Sendable }) { connection, items in
                    try await flush(connection, items.map { $0 as! Item })
                }))
            }
        }
    }

    /// Writes everything deferred, key by key in the order of their first append; the batch is empty afterwards.
    public func flush(on connection: PostgresConnection) async throws {
        let work = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        for (_, item) in work where !item.items.isEmpty {
            try await item.flush(connection, item.items)
        }
    }

    /// Runs `handlers` with a batch open, then flushes it on `connection`.
    static func applying<Result>(
        on connection: PostgresConnection, _ handlers: () async throws -> Result
    ) async throws -> Result {
        let batch = EventBatch()
        let result = try await EventBatch.$current.withValue(batch) { try await handlers() }
        try await batch.flush(on: connection)
        return result
    }
}
