import Foundation
import Postgres
import Synchronization

/// One reader of the live feed for all of a replica's followed streams: it asks the database for new entries every
/// `interval` (one indexed query, however many dashboards watch), keeps the latest `capacity` of them with their
/// SSE frames encoded once, and wakes every waiting stream at once. A stream filters the entries in memory; one that
/// resumes from before the window reads the database instead, as at its start.
///
/// Entries become visible in number order (``LiveFeed``: the counter row serialises the applying transactions), so
/// reading "after the last number seen" misses none. The reader runs while streams wait and stops when none does.
actor FeedBroadcast {
    struct Item: Sendable {
        var entry: LiveFeed.Entry
        var frame: String
    }

    private let pool: PostgresPool
    private let interval: Duration
    private let capacity: Int
    private var window: [Item] = []
    /// Every entry numbered in `(floor, latest]` is in the window; nil until the first read.
    private var latest: Int64?
    private var floor: Int64?
    private var waiters: [UUID: (after: Int64, continuation: CheckedContinuation<[Item], Never>)] = [:]
    private var reader: Task<Void, Never>?
    private var inFlight: Task<Void, Never>?

    init(pool: PostgresPool, interval: Duration = .milliseconds(100), capacity: Int = 20_000) {
        self.pool = pool
        self.interval = interval
        self.capacity = capacity
    }

    /// The entries after `id`, waiting up to `timeout` for some: `[]` when none came, `nil` when entries after `id`
    /// may be missing from the window (the caller reads the database instead).
    func entries(after id: Int64, timeout: Duration) async -> [Item]? {
        if latest == nil { await refresh() }
        guard let available = slice(after: id) else { return nil }
        guard available.isEmpty else { return available }
        return await wait(after: id, timeout: timeout)
    }

    /// Where the window starts (every entry after it is there), after a first read if there was none.
    func floor() async -> Int64? {
        if latest == nil { await refresh() }
        return floor
    }

    private func slice(after id: Int64) -> [Item]? {
        guard let latest, let floor, id >= floor else { return nil }
        if id >= latest { return [] }
        guard let start = window.firstIndex(where: { $0.entry.id > id }) else { return [] }
        return Array(window[start...])
    }

    private func wait(after id: Int64, timeout: Duration) async -> [Item] {
        let token = UUID()
        let items = await withCheckedContinuation { continuation in
            waiters[token] = (id, continuation)
            startReading()
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(token)
            }
        }
        return items
    }

    private func expire(_ token: UUID) {
        waiters.removeValue(forKey: token)?.continuation.resume(returning: [])
    }

    private func startReading() {
        guard reader == nil else { return }
        reader = Task { [weak self] in
            while let self {
                let generation = FeedSignal.shared.generation
                guard await self.tick() else { break }
                await FeedSignal.shared.wait(after: generation, upTo: self.interval)
            }
        }
    }

    /// One round of the reader: false (and the reader ends) once nobody waits.
    private func tick() async -> Bool {
        await refresh()
        guard !waiters.isEmpty else {
            reader = nil
            return false
        }
        return true
    }

    /// Reads what is new (one read at a time: a caller arriving during a read waits for it).
    private func refresh() async {
        if let inFlight {
            await inFlight.value
            return
        }
        let task = Task { await self.read() }
        inFlight = task
        await task.value
        inFlight = nil
    }

    private func read() async {
        do {
            if latest == nil {
                let row = try await pool.query("SELECT last FROM feed_counter WHERE id = 1").first
                let last = try row?.decode("last", as: Int64.self) ?? 0
                latest = last
                floor = last
            }
            let entries = try await LiveFeed.entries(
                after: latest ?? 0, filter: .init(scope: .national), limit: 1_000, pool: pool)
            guard let last = entries.last else { return }
            window += entries.map { Item(entry: $0, frame: FeedRoutes.frame($0)) }
            if window.count > capacity {
                floor = window[window.count - capacity - 1].entry.id
                window.removeFirst(window.count - capacity)
            }
            latest = last.id
            for (token, waiter) in waiters {
                guard let ready = slice(after: waiter.after), !ready.isEmpty else { continue }
                waiters.removeValue(forKey: token)
                waiter.continuation.resume(returning: ready)
            }
        } catch {
            // The database is away: streams keep waiting (and their own reads say so); the next round tries again.
        }
    }
}

/// Wakes this process's feed reader as soon as a transaction that added feed entries has committed (the reader
/// otherwise looks every `interval`, which is also how it learns of entries another replica applied). A wake-up
/// that comes between the reader's look and its wait is not lost: the reader waits only while the generation it
/// saw before looking is still current.
final class FeedSignal: Sendable {
    static let shared = FeedSignal()

    private struct State {
        var generation: UInt64 = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// The current generation, to pass to ``wait(after:upTo:)``.
    var generation: UInt64 { state.withLock { $0.generation } }

    func wake() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when a wake-up comes after `generation`, or after `timeout`.
    func wait(after generation: UInt64, upTo timeout: Duration) async {
        let token = UUID()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state in
                guard state.generation == generation else { return false }
                state.waiters[token] = continuation
                return true
            }
            guard waiting else { return continuation.resume() }
            Task {
                try? await Task.sleep(for: timeout)
                self.state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
            }
        }
    }
}
