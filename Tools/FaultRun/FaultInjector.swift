import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres

/// Injects the run's faults into the private infrastructure and the run's processes, and says what each did.
///
/// The two kills land at a chosen point rather than at random: the driver holds a table lock that the victim's next
/// statement needs, waits until PostgreSQL shows the victim's backend waiting for it, and then kills the process.
final class FaultInjector: @unchecked Sendable {
    private let settings: FaultRunSettings
    private let pool: PostgresPool
    private let ledger: FaultRunLedger
    private let logger: Logger
    /// Where the poison records landed on the topic, and the reason code each must be dead-lettered with.
    private(set) var poisonPositions: [Position: DeadLetterReason] = [:]
    /// Records the group was rewound by.
    private(set) var rewound = 0

    struct Position: Hashable, Comparable {
        var partition: Int32
        var offset: Int64
        static func < (a: Position, b: Position) -> Bool { (a.partition, a.offset) < (b.partition, b.offset) }
    }

    private static let pgBin = "/usr/lib/postgresql/15/bin"

    init(settings: FaultRunSettings, pool: PostgresPool, ledger: FaultRunLedger, logger: Logger) {
        self.settings = settings
        self.pool = pool
        self.ledger = ledger
        self.logger = logger
    }

    // MARK: - Kills at a chosen point

    /// SIGKILLs the consumer while its batch transaction (its inbox rows inserted) waits to write an effect.
    func killMidBatch(_ consumer: inout ChildProcess, restart: () throws -> ChildProcess) async throws -> String {
        let victim = consumer
        let backend = try await pool.transaction { connection -> Int32 in
            try await connection.query("LOCK TABLE \(identifier: FaultRunSettings.inboxSchema).applied IN EXCLUSIVE MODE")
            let backend = try await waitForBlockedBackend(of: "fault-run-consumer")
            await victim.sigkill()
            return backend
        }
        consumer = try restart()
        return "consumer pid \(victim.pid) killed while its batch transaction (backend \(backend)) was inside a handler"
    }

    /// SIGKILLs the relay after the broker acknowledged a batch and before the transaction marking it sent committed.
    func killBetweenPublishAndMark(_ relay: inout ChildProcess, restart: () throws -> ChildProcess) async throws -> String {
        let victim = relay
        let schema = FaultRunSettings.outboxSchema
        let (backend, held) = try await pool.transaction { connection -> (Int32, Int) in
            try await connection.query("LOCK TABLE \(identifier: schema).outbox_published IN EXCLUSIVE MODE")
            let backend = try await waitForBlockedBackend(of: "fault-run-relay")
            // The rows the relay's transaction holds: its batch, sent (the broker acknowledged those it is now marking;
            // any it refused are not), none marked sent yet.
            let held = try await pool.query("""
                SELECT (SELECT count(*) FROM \(identifier: schema).outbox)
                    - (SELECT count(*) FROM (SELECT FROM \(identifier: schema).outbox FOR UPDATE SKIP LOCKED) AS free) AS held
                """).rows.first?.decode("held", as: Int.self) ?? 0
            await victim.sigkill()
            return (backend, held)
        }
        relay = try restart()
        return "relay pid \(victim.pid) killed with \(held) events in its batch, sent and not marked (backend \(backend))"
    }

    /// The backend of `application` that waits for a lock; throws after a minute.
    private func waitForBlockedBackend(of application: String) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let pid = try await pool.query("""
                SELECT pid FROM pg_stat_activity WHERE application_name = \(application) AND wait_event_type = 'Lock'
                """).rows.first?.decode("pid", as: Int32.self) {
                return pid
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw FaultRunError("\(application) never reached the locked statement within a minute")
    }

    // MARK: - Infrastructure

    /// Pauses the broker with SIGSTOP for `duration`, then lets it go on.
    func pauseBroker(for duration: Duration) async throws -> String {
        let pid = try pidFile("tansu.pid")
        guard kill(pid, SIGSTOP) == 0 else { throw FaultRunError("cannot stop Tansu (pid \(pid)): errno \(errno)") }
        try? await Task.sleep(for: duration)
        kill(pid, SIGCONT)
        return "Tansu pid \(pid) stopped for \(duration.seconds) s (relay message.timeout.ms = \(FaultRunSettings.messageTimeoutMs))"
    }

    /// Stops PostgreSQL (fast shutdown: every connection is closed), waits `duration`, starts it on the same port.
    func restartDatabase(downFor duration: Duration) async throws -> String {
        let data = "\(settings.localDirectory)/pg/data"
        try await runCommand(["runuser", "-u", "postgres", "--", "\(Self.pgBin)/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
        try? await Task.sleep(for: duration)
        try await runCommand([
            "runuser", "-u", "postgres", "--", "\(Self.pgBin)/pg_ctl", "-D", data, "-l", "\(settings.localDirectory)/pg/server.log",
            "-o", "-p \(settings.postgres.port)", "-w", "start",
        ])
        // infra.sh stops the server by the pid it recorded.
        let postmaster = try String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        try (postmaster + "\n").write(toFile: "\(settings.localDirectory)/pg.pid", atomically: true, encoding: .utf8)
        return "stopped (fast), down \(duration.seconds) s, started again on port \(settings.postgres.port)"
    }

    // MARK: - Redelivery

    /// Stops the consumer (it leaves the group), moves the group's committed offsets back by `count` records over the
    /// partitions, and starts it again: those records are delivered a second time.
    func rewind(
        _ consumer: inout ChildProcess, group: String, by count: Int, partitions: Int,
        restart: () throws -> ChildProcess
    ) async throws -> String {
        await consumer.stop()
        let offsets = KafkaGroupOffsets(configuration: settings.kafka, logger: logger)
        let topic = FaultRunSettings.topic
        let committed = try await offsets.committed(group: group, topic: topic, partitions: (0..<Int32(partitions)).map { $0 })
        let rewound = committed.mapValues { max(0, $0 - Int64(count / partitions)) }
        // The group may still be settling after its member left: retry for a while.
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                try await offsets.commit(group: group, topic: topic, offsets: rewound)
                break
            } catch {
                if ContinuousClock.now > deadline { throw error }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        self.rewound = committed.reduce(0) { $0 + Int($1.value - rewound[$1.key]!) }
        consumer = try restart()
        let moves = committed.keys.sorted().map { "p\($0) \(committed[$0]!)→\(rewound[$0]!)" }.joined(separator: ", ")
        return "\(self.rewound) records delivered again (\(moves))"
    }

    // MARK: - Poison

    /// Produces `count` records the consumer must dead-letter, of four kinds in turn: not a CloudEvent, an unknown
    /// event type, a probe from a source that does not own the topic, a probe whose payload does not decode.
    func injectPoison(count: Int) async throws -> String {
        let topic = FaultRunSettings.topic
        var records: [KafkaProducerRecord] = []
        var reasons: [DeadLetterReason] = []
        for index in 0..<count {
            let key = "poison-\(index)"
            let owner = ServiceName.reporting.eventSource
            switch index % 4 {
            case 0:
                records.append(KafkaProducerRecord(topic: topic, key: Array(key.utf8), value: Array("not an event".utf8)))
                reasons.append(.notACloudEvent)
            case 1:
                records.append(KafkaProducerRecord(event: CloudEvent(
                    id: key, source: owner, type: "gbm.platform.no-such-event.v1", time: Date(), subject: key,
                    data: Array("{}".utf8)), topic: topic))
                reasons.append(.unknownEventType)
            case 2:
                records.append(KafkaProducerRecord(event: try CloudEvent(
                    source: ServiceName.catalogue.eventSource,
                    payload: ProbeSent(id: key, sequence: 0, sentAt: Date(), note: "forged")), topic: topic))
                reasons.append(.unexpectedSource)
            default:
                records.append(KafkaProducerRecord(event: CloudEvent(
                    id: key, source: owner, type: ProbeSent.eventType.name, time: Date(), subject: key,
                    data: Array(#"{"id": 7}"#.utf8)), topic: topic))
                reasons.append(.rejected)
            }
        }
        let producer = try KafkaProducer(configuration: settings.kafka, logger: logger)
        let results = await producer.send(records)
        await producer.shutdown()
        for (result, reason) in zip(results, reasons) {
            let report = try result.get()
            poisonPositions[Position(partition: report.partition, offset: report.offset)] = reason
        }
        let kinds = Dictionary(grouping: reasons, by: \.rawValue).map { "\($0.value.count) \($0.key)" }.sorted()
        return "\(count) records: \(kinds.joined(separator: ", "))"
    }

    /// The dead letters on the run's dead-letter topic.
    func deadLetters() async throws -> [DeadLetter] {
        try await DeadLetterQueue(kafka: settings.kafka, logger: logger).list(topic: FaultRunSettings.topic, limit: 100_000)
    }

    // MARK: - Recovery

    /// From now until the consumer applies its next event; nil if none within two minutes (or none is left).
    func timeUntilProgress() async throws -> Duration? {
        let start = ContinuousClock.now
        var before: Int?
        while ContinuousClock.now - start < .seconds(120) {
            if let rows = try? await ledger.appliedRows() {
                if let before, rows > before { return ContinuousClock.now - start }
                if before == nil { before = rows }
                if rows >= ledger.events, try await ledger.distinctApplied() >= ledger.events { return nil }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    // MARK: - Helpers

    private func pidFile(_ name: String) throws -> Int32 {
        let text = try String(contentsOfFile: "\(settings.localDirectory)/\(name)", encoding: .utf8)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FaultRunError("\(name) holds no pid")
        }
        return pid
    }

    /// Runs a command to its end without blocking the caller's thread; throws when it fails.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: `pg_ctl start` leaves a server running that
    /// inherited the descriptors Foundation watches for the child's end, and `Process` then took it for running for
    /// ever (its `runuser` a zombie nobody reaped).
    private func runCommand(_ arguments: [String]) async throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard spawned == 0 else { throw FaultRunError("cannot run \(arguments[0]): errno \(spawned)") }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result == -1 && errno != EINTR { throw FaultRunError("waitpid for \(arguments[0]): errno \(errno)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard status == 0 else {
            throw FaultRunError("\(arguments.joined(separator: " ")) failed (status \(status))")
        }
    }
}

struct FaultRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
