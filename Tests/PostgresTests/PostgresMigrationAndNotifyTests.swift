import Foundation
import Logging
import Postgres
import ServiceLifecycle
import TestSupport
import Testing

@Suite("Migrations and LISTEN/NOTIFY")
struct PostgresMigrationAndNotifyTests {
    static let migrations = [
        PostgresMigration(version: 1, name: "create item", sql: "CREATE TABLE item (id bigserial PRIMARY KEY, name text NOT NULL);"),
        PostgresMigration(version: 2, name: "add grade", sql: "ALTER TABLE item ADD COLUMN grade int; CREATE INDEX item_grade ON item (grade);"),
    ]

    @Test func migratingTwiceChangesNothingTheSecondTime() async throws {
        let scratch = try await ScratchSchema.make(prefix: "mig", create: false)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        let migrator = PostgresMigrator(schema: schema, migrations: Self.migrations, logger: Logger(label: "test"))
        #expect(try await migrator.migrate(pool) == [1, 2])
        #expect(try await migrator.migrate(pool) == [])
        let count = try #require(try await pool.query(
            "SELECT count(*)::int8 AS n FROM \(identifier: schema).schema_migrations").first).decode("n", as: Int.self)
        #expect(count == 2)
    }

    @Test func replicasMigratingAtOnceApplyEachVersionOnceWithoutError() async throws {
        let schema = uniqueName("mig")
        let pools = try (0..<4).map { _ in try adminPool(maxConnections: 1) }
        defer { for pool in pools { Task { await pool.close() } } }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for pool in pools {
                group.addTask {
                    try await PostgresMigrator(schema: schema, migrations: Self.migrations, logger: Logger(label: "test")).migrate(pool)
                }
            }
            var all: [[Int]] = []
            for try await versions in group { all.append(versions) }
            return all
        }
        defer { Task { await dropSchema(pools[0], schema) } }
        #expect(applied.filter { !$0.isEmpty } == [[1, 2]])
    }

    @Test func anEditedReleasedMigrationIsRefused() async throws {
        let scratch = try await ScratchSchema.make(prefix: "mig", create: false)
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await PostgresMigrator(schema: schema, migrations: Self.migrations, logger: Logger(label: "test")).migrate(pool)
        var edited = Self.migrations
        edited[1].sql += " -- edited"
        await #expect(throws: PostgresMigrator.ChecksumMismatch.self) {
            try await PostgresMigrator(schema: schema, migrations: edited, logger: Logger(label: "test")).migrate(pool)
        }
    }

    /// A running listener on a new channel, with an administrator's pool to notify from; LISTEN has run.
    struct ListeningChannel {
        let pool: PostgresPool
        let channel: String
        let listener: PostgresListener
        let runner: Task<Void, any Error>

        static func make() async throws -> ListeningChannel {
            let pool = try adminPool()
            let channel = uniqueName("chan")
            let listener = PostgresListener(configuration: pool.configuration, channels: [channel], logger: Logger(label: "test"))
            let listening = ListeningChannel(pool: pool, channel: channel, listener: listener, runner: Task { try await listener.run() })
            // LISTEN happens on the listener's thread: notify only once it has run.
            #expect(await eventually(timeout: .seconds(30)) { listener.isListening })
            return listening
        }

        func stop() {
            runner.cancel()
            Task { await pool.close() }
        }
    }

    /// A NOTIFY sent in a transaction that rolls back is never delivered; one committed after it is. A round proves
    /// that only if the listener stayed connected throughout (a reconnect, payload `""`, may have lost what was sent
    /// meanwhile), so on a loaded machine a round is repeated until one does; a rolled-back NOTIFY heard in any
    /// round fails the test.
    @Test(.timeLimit(.minutes(3)))
    func notificationsArriveOnCommitAndNeverOnRollback() async throws {
        let listening = try await ListeningChannel.make()
        defer { listening.stop() }
        let (pool, channel) = (listening.pool, listening.channel)
        let heard = LockedValue<[String]>([])
        let collecting = Task {
            for await notification in listening.listener.notifications { heard.withLock { $0.append(notification.payload) } }
        }
        defer { collecting.cancel() }
        var proven = false
        for round in 1...3 where !proven {
            let (rolledBack, committed) = ("rolled-back-\(round)", "committed-\(round)")
            let before = heard.current.count
            await #expect(throws: PostgresTransactionTests.Boom.self) {
                try await pool.transaction { connection in
                    try await connection.query("SELECT pg_notify(\(channel), \(rolledBack))")
                    throw PostgresTransactionTests.Boom()
                }
            }
            try await pool.transaction { connection in
                try await connection.query("SELECT pg_notify(\(channel), \(committed))")
            }
            let arrived = await eventually(timeout: .seconds(30)) { heard.current.contains(committed) }
            let ahead = heard.current.dropFirst(before).prefix { $0 != committed }
            if arrived && !ahead.contains("") {
                #expect(Array(ahead) == [], "nothing but the committed notification arrived")
                proven = true
            }
        }
        #expect(proven, "a round with the listener connected throughout delivered the committed notification")
        #expect(!heard.current.contains { $0.hasPrefix("rolled-back") }, "a rolled-back NOTIFY is never delivered")
    }

    @Test(.timeLimit(.minutes(1)))
    func aListenerWhoseSessionIsKilledListensAgainAndSaysSo() async throws {
        let listening = try await ListeningChannel.make()
        defer { listening.stop() }
        let (pool, channel, listener) = (listening.pool, listening.channel, listening.listener)
        var iterator = listener.notifications.makeAsyncIterator()
        let killed = try await pool.query("""
            SELECT count(pg_terminate_backend(pid))::int8 AS n FROM pg_stat_activity WHERE query = \("LISTEN \"\(channel)\"")
            """)
        #expect(try killed.first?.decode("n", as: Int.self) == 1, "the listener's session was found and ended")
        let reconnected = await iterator.next()
        #expect(reconnected?.channel == channel && reconnected?.payload == "", "it says what it may have missed")
        #expect(listener.isListening)
        try await pool.query("SELECT pg_notify(\(channel), \("after"))")
        #expect(await iterator.next()?.payload == "after", "notifications reach it again")
    }
}
