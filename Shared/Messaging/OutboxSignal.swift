import Foundation
import Postgres
import Synchronization

/// Wakes outbox relays when a transaction that wrote events has committed: this process's relay at once, and
/// the relays of other replicas by a NOTIFY on the schema's outbox channel.
///
/// The NOTIFY is not sent by the writing transaction. PostgreSQL serialises every committing transaction that
/// has sent a NOTIFY behind one lock held through its WAL flush, so when each writer notified, the commits of
/// concurrent requests could no longer share a flush and event-writing requests committed one fsync at a time.
/// Instead, after the commit, the signal sends the NOTIFY from a transaction of its own; signals that arrive
/// while one is on its way are folded into one more, sent at least 10 ms after the one before: a replica sends at
/// most about a hundred notifications a second however many commits it makes.
public final class OutboxSignal: Sendable {
    /// The channel relays of `schema` listen on.
    public static func channel(schema: String) -> String { schema + "_outbox" }

    /// The payload of this signal's notifications, so that its own relay, already woken, can skip them.
    public let instanceID: String
    let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let announcer: Announcer?

    /// A signal for this process's relay alone.
    public init() {
        instanceID = UUID().uuidString
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        announcer = nil
    }

    /// A signal that also tells the relays of other replicas, through `pool`, that `schema`'s outbox has events.
    public init(announcingTo pool: PostgresPool, schema: String) {
        instanceID = UUID().uuidString
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        announcer = Announcer(pool: pool, channel: Self.channel(schema: schema), payload: instanceID)
    }

    /// Asks the relays to look at the outbox; wake-ups that arrive while one is pending are coalesced.
    public func wake() {
        continuation.yield()
        announcer?.announce()
    }

    /// Sends the NOTIFYs, one at a time, each after the commits that asked for it.
    private final class Announcer: Sendable {
        private enum State { case idle, sending, sendingThenAgain }

        let pool: PostgresPool
        let channel: String
        let payload: String
        private let state = Mutex(State.idle)
        static let spacing = Duration.milliseconds(10)

        init(pool: PostgresPool, channel: String, payload: String) {
            self.pool = pool
            self.channel = channel
            self.payload = payload
        }

        func announce() {
            let start = state.withLock { state -> Bool in
                switch state {
                case .idle:
                    state = .sending
                    return true
                case .sending, .sendingThenAgain:
                    state = .sendingThenAgain
                    return false
                }
            }
            guard start else { return }
            Task { await send() }
        }

        private func send() async {
            var previous: ContinuousClock.Instant?
            repeat {
                // At most one notification per `spacing`: under load, every commit would otherwise be followed by
                // a notifying transaction of its own, each one an XID and a commit record.
                if let previous, previous.advanced(by: Self.spacing) > .now {
                    try? await Task.sleep(until: previous.advanced(by: Self.spacing))
                }
                previous = .now
                // Without waiting for the flush: a notification lost in a crash only leaves the poll to find
                // the events, and the commit holds PostgreSQL's notification lock for as short a time as can be.
                // A failure (the database is down) is left to the other replicas' polling in the same way.
                _ = try? await pool.transaction { connection in
                    try await connection.query("""
                        SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(channel), \(payload))
                        """)
                }
            } while state.withLock { state in
                if state == .sendingThenAgain {
                    state = .sending
                    return true
                }
                state = .idle
                return false
            }
        }
    }
}
