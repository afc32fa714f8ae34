import Logging
import NIOPosix
import Synchronization

/// A bounded pool of connections for one login role.
///
/// Connections are opened on demand up to `maxConnections`; callers beyond that wait (up to `acquireTimeout`).
/// A connection that failed, and every idle connection opened before a connection failure was seen (the
/// server may have restarted), is discarded instead of reused, so the pool recovers by itself once the
/// server is back.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    let logger: Logger
    let threads: NIOThreadPool

    private struct Waiter {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<PostgresConnection?, any Error>
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var generation = 0
        var closed = false
        /// Whether the task that fails waiters past their deadline is running (one at most, only while some wait).
        var reaping = false
    }

    private let state = Mutex(State())

    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection: a blocking libpq call never waits behind another connection's.
        self.threads = NIOThreadPool(numberOfThreads: max(1, configuration.maxConnections) + 1)
        self.threads.start()
    }

    /// How the pool is used now: connections open (lent or idle), idle, and callers waiting for one.
    public struct Usage: Sendable, Equatable {
        public var open: Int
        public var idle: Int
        public var waiting: Int
        public var inUse: Int { open - idle }
    }

    /// The pool's use at this moment (for the `gbm_db_pool_*` gauges).
    public var usage: Usage {
        state.withLock { Usage(open: $0.open, idle: $0.idle.count, waiting: $0.waiters.count) }
    }

    /// Lends a connection to `body` and takes it back afterwards.
    public func withConnection<Result>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs one statement on any connection, outside an explicit transaction.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresQueryResult {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws.
    ///
    /// The `BEGIN` travels with the body's first statement. The whole transaction runs again (up to
    /// `maxAttempts` times, with growing jittered pauses) after a serialization failure or deadlock, or when the
    /// connection failed before the server had begun the transaction: so `body` must have no effects outside
    /// the transaction (before its first statement least of all).
    @discardableResult
    public func transaction<Result>(
        isolation: PostgresIsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            var began = false
            do {
                return try await withConnection { connection in
                    // Sent with the body's first statement, in one round trip.
                    connection.beginTransaction("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
                    do {
                        let result = try await body(connection)
                        try await connection.commitTransaction()
                        connection.runCommitHooks()
                        return result
                    } catch {
                        // The hooks are dropped when the connection returns to the pool.
                        began = connection.transactionBegun
                        await connection.rollbackTransaction()
                        throw error
                    }
                }
            } catch let error as PostgresError where attempt < maxAttempts
                && (error.isTransient || (!began && error.isConnectionFailure)) {
                logger.debug("retrying transaction", metadata: [
                    "db.attempt": "\(attempt)", "db.sqlstate": "\(error.sqlState ?? "-")",
                ])
                let base = 10 * (1 << min(attempt, 6))
                try await Task.sleep(for: .milliseconds(Int.random(in: base / 2...base)))
            }
        }
    }

    /// Checks that the server answers (used by readiness probes).
    public func ping() async throws {
        try await query("SELECT 1")
    }

    /// Closes idle connections and refuses new work; waiting callers fail.
    public func close() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            state.closed = true
            let idle = state.idle
            let waiters = state.waiters
            state.open -= idle.count
            state.idle = []
            state.waiters = []
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .pool, message: "the connection pool is closed"))
        }
        _ = idle  // released here: deinit closes them
        try? await threads.shutdownGracefully()
    }

    // MARK: - Lending

    /// Takes an idle connection, or a free slot to open one, or waits for either: decided and, when
    /// waiting, registered in one critical section, so a release can never slip between the two.
    private func acquire() async throws -> PostgresConnection {
        // Usually a connection is idle or a slot is free: no timer, no suspension.
        let (immediate, id) = state.withLock { state -> (Result<PostgresConnection?, any Error>?, Int) in
            if let taken = takeWithoutWaiting(&state) { return (taken, 0) }
            state.nextWaiterID += 1
            return (nil, state.nextWaiterID)
        }
        if let immediate {
            if let connection = try immediate.get() { return connection }
            let generation = state.withLock { $0.generation }
            return try await openConnection(generation: generation)
        }
        let deadline = ContinuousClock.now.advanced(by: configuration.acquireTimeout)
        let lent = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresConnection?, any Error>) in
            let (immediate, startReaper) = state.withLock { state -> (Result<PostgresConnection?, any Error>?, Bool) in
                if let taken = takeWithoutWaiting(&state) { return (taken, false) }
                state.waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                let start = !state.reaping
                state.reaping = true
                return (nil, start)
            }
            if let immediate { continuation.resume(with: immediate) }
            // One task fails the waiters whose deadline passed, rather than a timer task per waiter.
            if startReaper { Task { await self.reapExpiredWaiters() } }
        }
        if let lent { return lent }
        // Handed a free slot instead of a connection.
        let generation = state.withLock { $0.generation }
        return try await openConnection(generation: generation)
    }

    /// An idle healthy connection, or `nil` for a free slot to open one in, or a failure once closed;
    /// `nil` when the caller has to wait.
    private func takeWithoutWaiting(_ state: inout State) -> Result<PostgresConnection?, any Error>? {
        if state.closed { return .failure(PostgresError(kind: .pool, message: "the connection pool is closed")) }
        while let connection = state.idle.popLast() {
            if connection.generation >= state.generation && connection.isUsable { return .success(connection) }
            state.open -= 1
        }
        if state.open < configuration.maxConnections {
            state.open += 1
            return .success(nil)
        }
        return nil
    }

    private func openConnection(generation: Int) async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration, threads: threads, generation: generation)
        } catch {
            state.withLock { $0.open -= 1 }
            // The slot freed up: a waiter may now open a connection of its own.
            wakeWaiterToOpen()
            throw error
        }
    }

    /// Runs while callers wait: fails each waiter whose deadline passed, and stops when none waits.
    private func reapExpiredWaiters() async {
        while true {
            let now = ContinuousClock.now
            let (expired, next) = state.withLock { state -> ([Waiter], ContinuousClock.Instant?) in
                let expired = state.waiters.filter { $0.deadline <= now }
                if !expired.isEmpty { state.waiters.removeAll { $0.deadline <= now } }
                guard let next = state.waiters.map(\.deadline).min() else {
                    state.reaping = false
                    return (expired, nil)
                }
                return (expired, next)
            }
            for waiter in expired {
                waiter.continuation.resume(throwing: PostgresError(
                    kind: .pool, message: "no database connection became free within \(configuration.acquireTimeout)"))
            }
            guard let next else { return }
            // Served waiters leave early, so this usually wakes once per timeout period to find none expired.
            try? await Task.sleep(until: next)
        }
    }

    private func wakeWaiterToOpen() {
        let waiter = state.withLock { state -> Waiter? in
            guard !state.waiters.isEmpty, state.open < configuration.maxConnections else { return nil }
            state.open += 1
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: nil)
    }

    private func release(_ connection: PostgresConnection) {
        // Hooks of a transaction that did not commit, or that the borrower left unfinished, never run.
        connection.resetTransactionState()
        enum Next { case handOver(Waiter, PostgresConnection), openFor(Waiter), none }
        let next = state.withLock { state -> Next in
            let healthy = connection.isUsable && connection.generation >= state.generation && !state.closed
            if !connection.isUsable {
                // The server may have restarted: no idle connection opened before now is trusted.
                state.generation += 1
                let stale = state.idle.count
                state.idle.removeAll()
                state.open -= stale
            }
            if healthy {
                if !state.waiters.isEmpty { return .handOver(state.waiters.removeFirst(), connection) }
                state.idle.append(connection)
                return .none
            }
            state.open -= 1
            if !state.waiters.isEmpty, !state.closed, state.open < configuration.maxConnections {
                state.open += 1
                return .openFor(state.waiters.removeFirst())
            }
            return .none
        }
        switch next {
        case .handOver(let waiter, let connection): waiter.continuation.resume(returning: connection)
        case .openFor(let waiter): waiter.continuation.resume(returning: nil)
        case .none: break
        }
    }
}

public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}
