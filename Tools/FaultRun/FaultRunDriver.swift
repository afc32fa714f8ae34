import ArgumentParser
import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres

/// `gbm-fault-run run`: writes the events, starts the relay and consumer processes, injects the faults one after
/// another while events flow, waits for the pipeline to drain, and prints what reached the inbox.
///
/// The faults, in turn, each once the writer has written its share of the events:
/// 1. the consumer's process is SIGKILLed mid-batch: its batch transaction (inbox rows inserted) waits on a lock the
///    driver holds on the effect table when the kill lands;
/// 2. the relay's process is SIGKILLed between publish and mark: the broker acknowledged its batch and its marking
///    statement waits on a lock the driver holds on `outbox_published`;
/// 3. the broker is paused (SIGSTOP) for longer than the relay's `message.timeout.ms`;
/// 4. PostgreSQL is stopped and started again;
/// 5. the consumer group is stopped and rewound, so that a range of records is delivered again;
/// 6. poison records (not a CloudEvent, unknown type, wrong source, a payload that does not decode) are produced.
struct FaultRunDriver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the fault-injection run.")

    @Option(help: "Events written to the outbox.") var events = 100_000
    @Option(help: "Distinct partition keys (events are spread over them round robin).") var keys = 500
    @Option(help: "Seconds over which the writer spreads its events.") var seconds = 120
    @Option(help: "Events per writer transaction.") var perTransaction = 50
    @Option(help: "Seconds the broker stays paused (longer than message.timeout.ms = 10 s).") var brokerPause = 15
    @Option(help: "Seconds PostgreSQL stays down.") var databaseDown = 5
    @Option(help: "Records the consumer group is rewound by (over all partitions).") var rewind = 6_000
    @Option(help: "Poison records injected (a multiple of the four kinds).") var poison = 12

    func run() async throws {
        let settings = try FaultRunSettings.fromEnvironment(clientID: "fault-run-driver")
        let logger = FaultRunSettings.logger("gbm.fault-run")
        let runID = String(UUID().uuidString.prefix(8)).lowercased()
        var postgres = settings.postgres
        postgres.maxConnections = 8
        let pool = PostgresPool(configuration: postgres, logger: logger)
        let ledger = FaultRunLedger(pool: pool, events: events, keys: keys)
        try await ledger.prepare(logger: logger)
        let partitions = Topic.platformProbes.partitions
        try await KafkaAdmin(configuration: settings.kafka, logger: logger).createTopics([
            KafkaTopicSpecification(name: FaultRunSettings.topic, partitions: partitions),
            KafkaTopicSpecification(name: FaultRunSettings.deadLetterTopic, partitions: 1),
        ])
        let group = "fault-run-\(runID)"
        let logs = "\(settings.localDirectory)/fault-run"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        print("# gbm-fault-run \(Date())  run \(runID): \(events) events over \(keys) keys in \(seconds) s; logs in \(logs)")

        var relay = try ChildProcess.start(["relay"], log: "\(logs)/relay.log")
        var consumer = try ChildProcess.start(["consumer", "--group", group, "--run", runID], log: "\(logs)/consumer.log")
        let writer = OutboxWriter(pool: pool, runID: runID, events: events, keys: keys, perTransaction: perTransaction)
        let schedule = Duration.seconds(seconds)
        let writing = Task { try await writer.write(over: schedule) }

        var faults: [FaultRecord] = []
        let injector = FaultInjector(settings: settings, pool: pool, ledger: ledger, logger: logger)
        let steps = 6
        for step in 1...steps {
            let due = events * step / (steps + 1)
            while writer.written < due { try await Task.sleep(for: .milliseconds(100)) }
            let at = writer.written
            let started = ContinuousClock.now
            let detail: String
            switch step {
            case 1:
                detail = try await injector.killMidBatch(&consumer, restart: { try ChildProcess.start(
                    ["consumer", "--group", group, "--run", runID], log: "\(logs)/consumer.log") })
            case 2:
                detail = try await injector.killBetweenPublishAndMark(&relay, restart: { try ChildProcess.start(
                    ["relay"], log: "\(logs)/relay.log") })
            case 3:
                detail = try await injector.pauseBroker(for: .seconds(brokerPause))
            case 4:
                detail = try await injector.restartDatabase(downFor: .seconds(databaseDown))
            case 5:
                detail = try await injector.rewind(
                    &consumer, group: group, by: rewind, partitions: partitions,
                    restart: { try ChildProcess.start(["consumer", "--group", group, "--run", runID], log: "\(logs)/consumer.log") })
            default:
                detail = try await injector.injectPoison(count: poison)
            }
            let recovery = try await injector.timeUntilProgress()
            faults.append(FaultRecord(
                fault: FaultRecord.names[step - 1], atEvent: at, detail: detail,
                took: ContinuousClock.now - started, progressAfter: recovery))
            print("fault \(step): \(FaultRecord.names[step - 1]) at event \(at): \(detail)")
        }
        try await writing.value
        print("writer done: \(writer.written) events committed, \(writer.retriedTransactions) transaction(s) retried")

        // Drained: every event applied and every poison record dead-lettered, or no progress for two minutes.
        var last = -1
        var stalledSince = ContinuousClock.now
        while true {
            let applied = (try? await ledger.distinctApplied()) ?? last
            let letters = (try? await injector.deadLetters().count) ?? 0
            if applied >= events && letters >= injector.poisonPositions.count { break }
            if applied != last { last = applied; stalledSince = .now }
            if ContinuousClock.now - stalledSince > .seconds(120) {
                print("no progress for 120 s: \(applied) of \(events) applied, \(letters) dead letters")
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        // Anything still in flight (a late duplicate, a second dead letter) has time to show up before the count.
        try await Task.sleep(for: .seconds(5))
        await consumer.stop()
        await relay.stop()

        let outcome = try await ledger.outcome()
        let letters = try await injector.deadLetters()
        let watermarks = try await KafkaTopicReader(configuration: settings.kafka, logger: logger)
            .watermarks(topic: FaultRunSettings.topic)
        let topicRecords = watermarks.reduce(0) { $0 + Int($1.high - $1.low) }
        print("topic watermarks: " + watermarks.map { "p\($0.partition) \($0.low)..<\($0.high)" }.joined(separator: ", "))
        await pool.close()
        FaultRunReport(
            events: events, keys: keys, faults: faults, outcome: outcome, topicRecords: topicRecords,
            poison: injector.poisonPositions, deadLetters: letters, rewound: injector.rewound
        ).print()
    }
}

/// One fault as injected, for the report.
struct FaultRecord {
    static let names = [
        "SIGKILL consumer mid-batch", "SIGKILL relay between publish and mark",
        "broker paused (SIGSTOP) > message.timeout.ms", "PostgreSQL restarted",
        "group rewound (offsets reset backwards)", "poison records injected",
    ]
    var fault: String
    var atEvent: Int
    var detail: String
    var took: Duration
    /// From the fault's end to the next event applied.
    var progressAfter: Duration?
}

/// A child process of the run (the relay or the consumer): this same executable with a subcommand, its output
/// appended to a log file.
final class ChildProcess: @unchecked Sendable {
    let process: Process

    private init(process: Process) { self.process = process }

    static func start(_ arguments: [String], log: String) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process)
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGKILL, then waits until it is gone.
    func sigkill() async {
        kill(pid, SIGKILL)
        await waitForExit(timeout: .seconds(30))
    }

    /// SIGTERM (graceful shutdown: offsets committed, the group left), SIGKILL after 30 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        if !(await waitForExit(timeout: .seconds(30))) { await sigkill() }
    }

    @discardableResult
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
