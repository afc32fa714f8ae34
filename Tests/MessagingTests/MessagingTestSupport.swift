import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres
import TestSupport

let testLogger = Logger(label: "messaging-tests")

func kafkaConfiguration(_ brokers: String? = nil) throws -> KafkaConfiguration {
    let env = try TestEnvironment.current()
    return KafkaConfiguration(
        bootstrapServers: brokers ?? env.kafkaBrokers, clientID: "messaging-tests",
        sessionTimeoutMs: env.kafkaSessionTimeoutMs, fetchWaitMaxMs: env.kafkaFetchWaitMaxMs,
        properties: ["message.timeout.ms": "10000"])
}

/// A login role that owns one schema and may use nothing else, made the way `deploy/sql/bootstrap.sh` makes a
/// service's (`gbm_<schema>`: the schema's owner, CONNECT on the database, its schema as search path, no other
/// grant): the messaging code runs as such a role in production, so its tests do too, never as a superuser.
struct ServiceRole {
    let schema: String
    let role: String
    /// A pool connected as the role.
    let pool: PostgresPool
    /// The cluster's superuser, which made the role and drops it.
    let admin: PostgresPool

    /// - Parameter admin: a superuser pool of the cluster; the shared cluster's by default.
    static func make(prefix: String = "msg", on admin: PostgresPool? = nil, maxConnections: Int = 6) async throws -> ServiceRole {
        let admin = try admin ?? TestSchema.adminPool()
        let schema = uniqueName(prefix)
        let role = "gbm_" + schema
        let password = UUID().uuidString
        // DDL takes no parameters: the server quotes the names and the password into each statement (format %I, %L).
        let statements = try await admin.query("""
            SELECT unnest(ARRAY[
                format('CREATE ROLE %I LOGIN PASSWORD %L', \(role)::text, \(password)::text),
                format('CREATE SCHEMA %I AUTHORIZATION %I', \(schema)::text, \(role)::text),
                format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), \(role)::text),
                format('ALTER ROLE %I SET search_path = %I', \(role)::text, \(schema)::text)
            ]) AS sql
            """).rows.map { try $0.decode("sql", as: String.self) }
        // One role at a time: concurrent GRANTs on the database update its one catalogue row ("tuple concurrently
        // updated").
        try await admin.transaction { connection in
            // Waiting for the lock behind every other test's role is not a stuck lock: no lock or statement time-out.
            try await connection.query("SET LOCAL lock_timeout = 0")
            try await connection.query("SET LOCAL statement_timeout = 0")
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('gbm.tests.service-roles'))")
            for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement)) }
        }
        var configuration = admin.configuration
        configuration.user = role
        configuration.password = password
        configuration.maxConnections = maxConnections
        return ServiceRole(
            schema: schema, role: role, pool: PostgresPool(configuration: configuration, logger: testLogger), admin: admin)
    }

    /// Drops the schema and the role, and closes both pools.
    func drop() async {
        await pool.close()
        _ = try? await admin.transaction { connection in
            try await connection.query("SET LOCAL lock_timeout = 0")
            try await connection.query("SET LOCAL statement_timeout = 0")
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('gbm.tests.service-roles'))")
            try await connection.query("DROP SCHEMA \(identifier: schema) CASCADE")
            try await connection.query("DROP OWNED BY \(identifier: role)")
            try await connection.query("DROP ROLE \(identifier: role)")
        }
        await admin.close()
    }
}

/// A migrated schema (outbox, inbox and a table handlers write to) owned by a service role of its own, which
/// `pool` connects as.
struct TestSchema {
    let role: ServiceRole
    /// Woken by every commit that appended to `outbox`, as a service's relay is.
    let signal = OutboxSignal()

    /// A pool connected as the schema's service role.
    var pool: PostgresPool { role.pool }
    var name: String { role.schema }

    /// A pool on the shared cluster as its administrator: for making roles, and for tests of the superuser's view.
    static func adminPool(maxConnections: Int = 6) throws -> PostgresPool {
        let env = try TestEnvironment.current()
        return PostgresPool(
            configuration: PostgresConfiguration(
                host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
                user: env.postgresAdminUser, password: env.postgresAdminPassword, maxConnections: maxConnections),
            logger: testLogger)
    }

    /// - Parameter admin: a pool as a superuser of another cluster (a private one a test stops), where the role is
    ///   made; the shared cluster's by default.
    static func make(on admin: PostgresPool? = nil) async throws -> TestSchema {
        let role = try await ServiceRole.make(on: admin, maxConnections: admin == nil ? 6 : 4)
        try await PostgresMigrator(schema: role.schema, migrations: MessagingMigrations.all + [
            PostgresMigration(version: 100, name: "probe effects", sql: """
                CREATE TABLE probe_effect (probe_id text PRIMARY KEY, applied integer NOT NULL);
                """),
        ], logger: testLogger).migrate(role.pool)
        return TestSchema(role: role)
    }

    func drop() async {
        await role.drop()
    }

    var outbox: Outbox { Outbox(schema: name, source: .reporting, signal: signal) }

    /// Whether, within 30 s, some session has run LISTEN on this schema's outbox channel (a relay's listener,
    /// whose own state the relay keeps to itself) as its latest statement.
    func untilSomeoneListens() async -> Bool {
        let listen = "LISTEN \"\(OutboxSignal.channel(schema: name))\""
        return await eventually(timeout: .seconds(30)) {
            let rows = try? await pool.query("SELECT count(*)::int8 AS n FROM pg_stat_activity WHERE query = \(listen)")
            return ((try? rows?.first?.decode("n", as: Int.self)) ?? 0) > 0
        }
    }

    /// Appends `<tag>-rolled-back` in a transaction that rolls back, then `<tag>-committed` in one that commits;
    /// returns the committed event.
    func appendRolledBackThenCommitted(tag: String) async throws -> CloudEvent {
        struct Abort: Error {}
        do {
            try await pool.transaction { connection in
                try await outbox.append(probe(tag + "-rolled-back", 1), on: connection)
                throw Abort()
            }
        } catch is Abort {}
        return try await pool.transaction { connection in
            try await outbox.append(probe(tag + "-committed", 1), on: connection)
        }
    }

    /// How many events wait in the outbox (parked ones included).
    func unpublishedCount() async throws -> Int {
        try await pool.query("SELECT count(*)::int8 AS n FROM \(identifier: name).outbox").first?.decode("n") ?? -1
    }

    /// How many outbox rows a relay's transaction holds locked right now: the batch it has taken and not yet marked.
    func rowsHeldByARelay() async throws -> Int {
        try await pool.query("""
            SELECT (SELECT count(*) FROM \(identifier: name).outbox)
                - (SELECT count(*) FROM (SELECT FROM \(identifier: name).outbox FOR UPDATE SKIP LOCKED) AS free) AS n
            """).first?.decode("n") ?? 0
    }

    func effects() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await pool.query("SELECT probe_id, applied FROM \(identifier: name).probe_effect").rows {
            result[try row.decode("probe_id")] = try row.decode("applied", as: Int.self)
        }
        return result
    }
}

/// The handler the consumer tests use: counts how often each probe was applied.
func probeHandler(schema: String) -> EventHandler {
    .on(ProbeSent.self) { probe, _, connection in
        try await connection.query("""
            INSERT INTO \(identifier: schema).probe_effect (probe_id, applied) VALUES (\(probe.id + "#" + String(probe.sequence)), 1)
            ON CONFLICT (probe_id) DO UPDATE SET applied = probe_effect.applied + 1
            """)
    }
}

func probe(_ key: String, _ sequence: Int64, note: String = "test") -> ProbeSent {
    ProbeSent(id: key, sequence: sequence, sentAt: Date(), note: note)
}

/// Reads `topic` from the beginning with a fresh group until `done` says enough (or the timeout passes).
func collect(
    topic: String, brokers: String? = nil, timeout: Duration = .seconds(30),
    until done: @escaping @Sendable ([KafkaMessage]) -> Bool
) async throws -> [KafkaMessage] {
    let consumer = try KafkaConsumer(
        configuration: try kafkaConfiguration(brokers), groupID: uniqueName("collector"), topics: [topic],
        logger: testLogger)
    let deadline = ContinuousClock.now.advanced(by: timeout)
    let collected = LockedValue<[KafkaMessage]>([])
    let reader = Task {
        for await message in consumer.messages {
            let enough = collected.withLock { all -> Bool in
                all.append(message)
                return done(all)
            }
            if enough { break }
        }
    }
    while ContinuousClock.now < deadline, !reader.isCancelled {
        if collected.withLock({ done($0) }) { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    await consumer.close()
    reader.cancel()
    return collected.current
}

/// A relay of a fresh schema's outbox to the probes topic, with a producer of its own; woken by the schema's
/// commit signal when `signalled`. The caller shuts the producer down and drops the schema.
func relayOnFreshSchema(
    signalled: Bool = false, configuration: OutboxRelay.Configuration = .init()
) async throws -> (TestSchema, KafkaProducer, OutboxRelay) {
    try await createTopic(Topic.platformProbes.name, partitions: 3)
    let schema = try await TestSchema.make()
    let producer = try KafkaProducer(configuration: try kafkaConfiguration(), logger: testLogger)
    let relay = OutboxRelay(
        pool: schema.pool, schema: schema.name, producer: producer, signal: signalled ? schema.signal : nil,
        configuration: configuration, logger: testLogger)
    return (schema, producer, relay)
}

/// A running relay of a fresh schema's outbox to the probes topic of a private broker, woken by the schema's commit
/// signal and backing off at most 500 ms; `properties` go to its producer. The caller cancels `running`, shuts
/// the producer down and drops the schema.
func runningRelay(
    on broker: LocalTansuBroker, producerProperties properties: [String: String] = [:]
) async throws -> (schema: TestSchema, producer: KafkaProducer, running: Task<Void, any Error>) {
    try await createTopic(Topic.platformProbes.name, partitions: 3, brokers: broker.bootstrapServers)
    let schema = try await TestSchema.make()
    var kafka = try kafkaConfiguration(broker.bootstrapServers)
    kafka.properties.merge(properties) { $1 }
    let producer = try KafkaProducer(configuration: kafka, logger: testLogger)
    var configuration = OutboxRelay.Configuration()
    configuration.maxBackoff = .milliseconds(500)
    let relay = OutboxRelay(
        pool: schema.pool, schema: schema.name, producer: producer, signal: schema.signal,
        configuration: configuration, logger: testLogger)
    return (schema, producer, Task { try await relay.run() })
}

extension TestSchema {
    /// Appends a probe for each of `keys` and `sequences`, one transaction per sequence.
    func appendProbes(keys: [String], sequences: ClosedRange<Int>) async throws {
        for sequence in sequences {
            try await pool.transaction { connection in
                for key in keys { try await outbox.append(probe(key, Int64(sequence)), on: connection) }
            }
        }
    }
}

func createTopic(_ name: String, partitions: Int = 1, brokers: String? = nil) async throws {
    try await KafkaAdmin(configuration: try kafkaConfiguration(brokers), logger: testLogger)
        .createTopics([KafkaTopicSpecification(name: name, partitions: partitions)])
}

extension LocalPostgresServer {
    /// A pool on this private cluster as its superuser, quick to give up on a connection while it is down.
    func superuserPool() -> PostgresPool {
        PostgresPool(
            configuration: PostgresConfiguration(
                host: "127.0.0.1", port: port, database: "postgres", user: "postgres", password: password,
                maxConnections: 4, acquireTimeout: .seconds(2), connectTimeoutSeconds: 2),
            logger: testLogger)
    }
}
