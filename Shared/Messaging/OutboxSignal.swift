/// Wakes this process's outbox relay when a transaction that wrote events has committed.
///
/// The outbox used to wake relays with a trigger's NOTIFY. PostgreSQL serialises every committing transaction
/// that has sent a NOTIFY behind one lock held through its WAL flush, so the commits of concurrent requests
/// could no longer share a flush: writes that publish events topped out near one commit per fsync. The signal
/// costs the writer nothing in the database. Relays of other replicas find the events by polling, and a relay
/// that finds another replica publishing looks again shortly after.
public final class OutboxSignal: Sendable {
    let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the relay to look at the outbox; wake-ups that arrive while one is pending are coalesced.
    public func wake() {
        continuation.yield()
    }
}
