import ArgumentParser
import Contracts
import Foundation
import Kafka
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// Platform benchmarks, each reported next to a baseline measured in the same run:
/// the Kafka library against librdkafka's own `rdkafka_performance`, the outbox relay, and the latency
/// from a commit to the consuming service's inbox transaction.
@main
struct Benchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbm-bench", abstract: "Measure the platform's throughput and latency against the running infrastructure.")

    @Option(help: "Messages for the Kafka throughput runs.") var messages = 200_000
    @Option(help: "Rounds of the Kafka comparison (each: one run of each side).") var kafkaRounds = 3
    @Option(help: "Events for the outbox relay run.") var outboxEvents = 100_000
    @Option(help: "Events per second for the latency run.") var rate = 1_000
    @Option(help: "Seconds the latency run lasts.") var seconds = 15
    @Option(help: "Rounds of the Kafka latency comparison (each: one run of each side).") var latencyRounds = 2
    @Option(help: "Which parts to run: kafka, outbox, kafka-latency, latency.")
    var only: [String] = ["kafka", "outbox", "kafka-latency", "latency"]

    func run() async throws {
        var logger = Logger(label: "gbm-bench")
        logger.logLevel = .warning
        let env = ProcessInfo.processInfo.environment
        guard let brokers = env["GBM_KAFKA_BROKERS"], let pgPort = env["GBM_PG_PORT"].flatMap(Int.init) else {
            throw ValidationError("run through deploy/local/bench.sh (needs GBM_KAFKA_BROKERS and GBM_PG_PORT)")
        }
        var kafka = KafkaConfiguration(
            bootstrapServers: brokers, clientID: "gbm-bench", sessionTimeoutMs: 6000,
            fetchWaitMaxMs: Int(env["GBM_KAFKA_FETCH_WAIT_MAX_MS"] ?? "") ?? 10)
        kafka.fetchErrorBackoffMs = Int(env["GBM_KAFKA_FETCH_ERROR_BACKOFF_MS"] ?? "") ?? 10
        // For experiments: extra librdkafka properties, e.g. GBM_BENCH_KAFKA_PROPERTIES="linger.ms=0,batch.size=65536".
        for pair in (env["GBM_BENCH_KAFKA_PROPERTIES"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { kafka.properties[parts[0]] = parts[1] }
        }
        let postgres = PostgresConfiguration(
            host: env["GBM_PG_HOST"] ?? "127.0.0.1", port: pgPort, database: env["GBM_PG_DATABASE"] ?? "gbm",
            user: env["GBM_PG_ADMIN_USER"] ?? "postgres", password: env["GBM_PG_ADMIN_PASSWORD"] ?? "",
            maxConnections: 16)
        print("# gbm-bench  \(Date())  brokers=\(brokers)")
        if only.contains("kafka") { try await kafkaThroughput(kafka, logger: logger) }
        if only.contains("outbox") { try await outboxThroughput(kafka, postgres, logger: logger) }
        if only.contains("kafka-latency") { try await kafkaLatency(kafka, logger: logger) }
        if only.contains("latency") { try await endToEndLatency(kafka, postgres, logger: logger) }
    }

    // MARK: - Kafka library vs librdkafka

    /// A 1 KB CloudEvent as the services publish them.
    func sampleEvent(_ i: Int) throws -> CloudEvent {
        let note = String(repeating: "x", count: 860)
        return try CloudEvent(payload: ProbeSent(id: "bench-\(i % 64)", sequence: Int64(i), sentAt: Date(), note: note))
    }

    func kafkaThroughput(_ kafka: KafkaConfiguration, logger: Logger) async throws {
        let admin = KafkaAdmin(configuration: kafka, logger: logger)
        let event = try sampleEvent(1)
        let sample = KafkaProducerRecord(event: event, topic: "unused")
        let size = sample.value.count
        print("\n## Kafka produce and consume, \(messages) CloudEvents of \(size) bytes, 1 partition, acks=all, idempotent")
        print("\(kafkaRounds) rounds after a warm-up; each run on a new topic, deleted after it, so that every run finds")
        print("the broker in the same state; the side that goes first alternates")

        // librdkafka's own tool gets the same records: value size, key, the seven CloudEvents headers (read back
        // on consume), settings, and a consumer group like ours.
        var recordOptions = ["-s", "\(size)"]
        if let key = sample.key { recordOptions += ["-k", String(decoding: key, as: UTF8.self)] }
        for header in sample.headers {
            recordOptions += ["-H", "\(header.key)=\(String(decoding: header.value ?? [], as: UTF8.self))"]
        }
        let run = UUID().uuidString.prefix(8)
        /// Produces and then consumes `count` records on a new topic with one side; returns both rates.
        func measure(ours: Bool, _ name: String, count: Int) async throws -> (produce: Double, consume: Double) {
            let topic = "bench.\(ours ? "ours" : "rdkafka").\(run).\(name)"
            try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])
            let rates: (Double, Double)
            if ours {
                let produced = try await produceOurs(KafkaProducerRecord(event: event, topic: topic), count, kafka, logger)
                rates = (produced, try await consumeOurs(topic, count, kafka, logger))
            } else {
                let produced = parseRate(try shell(
                    ["rdkafka_performance", "-P", "-t", topic, "-b", kafka.bootstrapServers, "-c", "\(count)"]
                        + recordOptions + ["-X", "enable.idempotence=true", "-X", "acks=all", "-X", "linger.ms=5"]))
                let consumed = parseRate(try shell([
                    "rdkafka_performance", "-C", "-G", "bench-rdkafka-\(UUID())", "-t", topic, "-b", kafka.bootstrapServers,
                    "-c", "\(count)", "-H", "parse", "-X", "auto.offset.reset=earliest", "-X", "fetch.wait.max.ms=10",
                    "-X", "fetch.error.backoff.ms=\(kafka.fetchErrorBackoffMs)",
                ]))
                rates = (produced, consumed)
            }
            try await admin.deleteTopics([topic])
            return rates
        }
        // Warm-up, not counted: our first run in a process paid for growing its allocator's arenas.
        _ = try await measure(ours: true, "warm-up", count: messages / 4)
        _ = try await measure(ours: false, "warm-up", count: messages / 4)
        var ours: [(produce: Double, consume: Double)] = []
        var theirs: [(produce: Double, consume: Double)] = []
        for round in 0..<kafkaRounds {
            for side in round % 2 == 0 ? [true, false] : [false, true] {
                let rates = try await measure(ours: side, "\(round)", count: messages)
                if side { ours.append(rates) } else { theirs.append(rates) }
            }
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func row(_ name: String, _ pick: ((produce: Double, consume: Double)) -> Double) -> [String] {
            let a = ours.map(pick), b = theirs.map(pick)
            return [name, fmt(mean(a)), fmt(mean(b)), pct(mean(a) / mean(b)),
                    zip(a, b).map { pct($0 / $1) }.joined(separator: ", "),
                    a.map(fmt).joined(separator: ", ") + " | " + b.map(fmt).joined(separator: ", ")]
        }
        table([
            ["", "Kafka module (msg/s, mean)", "rdkafka_performance (msg/s, mean)", "ratio of means", "ratio per round",
             "runs: ours | theirs"],
            row("produce", \.produce),
            row("consume", \.consume),
        ])
        print("target: >= 80% of rdkafka_performance")
    }

    /// Produces `messages` copies of `record` with four sends in flight at once, as several publishers of a
    /// service would: the library is measured, not the gap between one batch's last acknowledgement and the next.
    func produceOurs(
        _ record: KafkaProducerRecord, _ messages: Int, _ kafka: KafkaConfiguration, _ logger: Logger
    ) async throws -> Double {
        var throughputKafka = kafka
        throughputKafka.properties["linger.ms"] = "5"  // librdkafka's default, given to both sides
        let producer = try KafkaProducer(configuration: producing(throughputKafka), logger: logger)
        let chunk = 5_000
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lanes = 4
            for lane in 0..<lanes {
                group.addTask {
                    for start in stride(from: lane * chunk, to: messages, by: lanes * chunk) {
                        let n = min(chunk, messages - start)
                        let results = await producer.send(Array(repeating: record, count: n))
                        guard results.allDelivered else {
                            throw ValidationError("produce failed")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let rate = Double(messages) / (ContinuousClock.now - started).seconds
        await producer.shutdown()
        return rate
    }

    /// Consumes `topic` in batches, as the services' event consumers read, timed from the first message on
    /// (as rdkafka_performance times it).
    func consumeOurs(_ topic: String, _ messages: Int, _ kafka: KafkaConfiguration, _ logger: Logger) async throws -> Double {
        let consumer = try KafkaConsumer(configuration: kafka, groupID: "bench-\(UUID())", topics: [topic], logger: logger)
        var consumed = 0
        var consumeStart: ContinuousClock.Instant?
        while consumed < messages {
            let batch = await consumer.nextBatch(maxCount: 1_000)
            guard let last = batch.last else { throw ValidationError("consumer closed early") }
            if consumeStart == nil { consumeStart = .now }
            consumed += batch.count
            if consumed >= messages { try consumer.storeOffset(last) }
        }
        let rate = Double(messages - 1) / (ContinuousClock.now - consumeStart!).seconds
        await consumer.close()
        return rate
    }

    // MARK: - Outbox relay

    func outboxThroughput(_ kafka: KafkaConfiguration, _ postgres: PostgresConfiguration, logger: Logger) async throws {
        print("\n## Outbox relay: \(outboxEvents) events committed in PostgreSQL, published, acknowledged, marked sent")
        let pool = PostgresPool(configuration: postgres, logger: logger)
        let schema = "bench_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresMigrator(schema: schema, migrations: MessagingMigrations.all, logger: logger).migrate(pool)
        let admin = KafkaAdmin(configuration: kafka, logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: Topic.platformProbes.name, partitions: 3)])
        let outbox = Outbox(schema: schema, source: .reporting)

        let writeStart = ContinuousClock.now
        let perTransaction = 500
        for start in stride(from: 0, to: outboxEvents, by: perTransaction) {
            let events = try (start..<min(start + perTransaction, outboxEvents)).map { try sampleEvent($0) }
            try await pool.transaction { try await outbox.append(events, on: $0) }
        }
        let writeRate = Double(outboxEvents) / (ContinuousClock.now - writeStart).seconds

        let producer = try KafkaProducer(configuration: producing(kafka), logger: logger)
        let relay = OutboxRelay(pool: pool, schema: schema, producer: producer, signal: nil, logger: logger)
        let relayStart = ContinuousClock.now
        var relayed = 0
        while true {
            let n = try await relay.publishBatch()
            if n == 0 { break }
            relayed += n
        }
        let relayRate = Double(relayed) / (ContinuousClock.now - relayStart).seconds

        // Baseline in the same run: the same events produced straight from memory, no database.
        let records = try (0..<outboxEvents).map { KafkaProducerRecord(event: try sampleEvent($0), topic: Topic.platformProbes.name) }
        let rawStart = ContinuousClock.now
        for start in stride(from: 0, to: records.count, by: 2000) {
            _ = await producer.send(Array(records[start..<min(start + 2000, records.count)]))
        }
        let rawRate = Double(outboxEvents) / (ContinuousClock.now - rawStart).seconds
        await producer.shutdown()
        _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE")
        await pool.close()
        table([
            ["", "events/s", "vs produce from memory (same batches)"],
            ["write to outbox (500 per transaction)", fmt(writeRate), ""],
            ["relay: read, publish, ack, mark sent", fmt(relayRate), pct(relayRate / rawRate)],
            ["produce from memory (baseline)", fmt(rawRate), "100%"],
        ])
        print("target: relay >= 20,000 events/s")
    }

    // MARK: - Produce to consume latency (the broker's and the Kafka module's share)

    /// One record at a time at `rate`/s, each timed from `send` to the consumer handing it out: what the broker
    /// and the Kafka module add to the end-to-end latency, without PostgreSQL. The baseline is librdkafka's own
    /// latency mode (`rdkafka_performance -l`: the producer stamps each payload, the consumer subtracts) at the
    /// same rate, with the same fetch and producer settings, on a topic of the same shape, in the same run.
    func kafkaLatency(_ kafka: KafkaConfiguration, logger: Logger) async throws {
        let total = rate * seconds
        print("\n## Latency from send to the consumer, \(rate) records/s for \(seconds) s, 3 partitions, no database")
        print("next to rdkafka_performance -l with the same settings; \(latencyRounds) rounds, the side that goes first")
        print("alternates, each run on a new topic deleted after it")
        let admin = KafkaAdmin(configuration: kafka, logger: logger)
        var ours: [(ack: [Double], consumer: [Double], rate: Double)] = []
        var theirs: [(consumer: [Double], rate: Double)] = []
        for round in 0..<latencyRounds {
            for side in round % 2 == 0 ? [true, false] : [false, true] {
                let topic = "bench.latency.\(side ? "ours" : "rdkafka").\(UUID().uuidString.prefix(8))"
                try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 3)])
                if side {
                    ours.append(try await kafkaLatencyOurs(topic: topic, total: total, kafka, logger: logger))
                } else {
                    theirs.append(try await kafkaLatencyRdkafka(topic: topic, total: total, kafka))
                }
                try await admin.deleteTopics([topic])
            }
        }
        func row(_ name: String, _ values: [Double], of count: Int, rate: Double) -> [String] {
            [name, "\(values.count)/\(count)", fmt(rate) + "/s"] + percentileCells(values)
        }
        var rows = [["run", "records", "achieved rate", "p50 ms", "p90 ms", "p99 ms", "max ms"]]
        for (i, run) in ours.enumerated() {
            rows.append(row("ours \(i + 1): send to acknowledgement", run.ack, of: total, rate: run.rate))
            rows.append(row("ours \(i + 1): send to consumer", run.consumer, of: total, rate: run.rate))
        }
        for (i, run) in theirs.enumerated() {
            rows.append(row("rdkafka_performance \(i + 1): produce to consumer", run.consumer, of: total, rate: run.rate))
        }
        let oursAll = ours.flatMap(\.consumer).sorted(), theirsAll = theirs.flatMap(\.consumer).sorted()
        rows.append(row("ours, all rounds: send to consumer", oursAll, of: total * ours.count,
                        rate: ours.map(\.rate).reduce(0, +) / Double(max(1, ours.count))))
        rows.append(row("rdkafka_performance, all rounds", theirsAll, of: total * theirs.count,
                        rate: theirs.map(\.rate).reduce(0, +) / Double(max(1, theirs.count))))
        table(rows)
        print("ours / rdkafka_performance, all rounds: p50 \(pct(quantile(oursAll, 0.5) / quantile(theirsAll, 0.5))), "
              + "p99 \(pct(quantile(oursAll, 0.99) / quantile(theirsAll, 0.99)))")
    }

    func kafkaLatencyOurs(
        topic: String, total: Int, _ kafka: KafkaConfiguration, logger: Logger
    ) async throws -> (ack: [Double], consumer: [Double], rate: Double) {
        let sentAt = Timestamps(capacity: total)
        let ackedAt = Timestamps(capacity: total)
        let receivedAt = Timestamps(capacity: total)
        let consumer = try KafkaConsumer(configuration: kafka, groupID: "bench-\(UUID())", topics: [topic], logger: logger)
        let reading = Task {
            var seen = 0
            while seen < total {
                let batch = await consumer.nextBatch(maxCount: 1_000)
                if batch.isEmpty { return }
                let now = ContinuousClock.now
                for message in batch {
                    if let index = Int(String(decoding: message.value, as: UTF8.self)) {
                        receivedAt.set(index, now)
                        seen += 1
                    }
                }
            }
        }
        while consumer.assignment.count < 3 { try await Task.sleep(for: .milliseconds(50)) }
        // As for rdkafka_performance's consumer: assigned partitions are fetching (offsets looked up) before the
        // first timed record.
        try await Task.sleep(for: .seconds(2))
        var producerKafka = kafka
        producerKafka.properties["linger.ms"] = producerKafka.properties["linger.ms"] ?? "5"  // as given to rdkafka_performance
        let producer = try KafkaProducer(configuration: producing(producerKafka), logger: logger)
        // Not timed: the producer's first record waits for its connection and idempotent producer id, as a
        // service's does once at start (rdkafka_performance's producer has them before its first timed record).
        _ = try await producer.send(KafkaProducerRecord(topic: topic, key: Array("warm-up".utf8), value: Array("warm-up".utf8)))
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<8 {
                group.addTask {
                    for i in stride(from: lane, to: total, by: 8) {
                        let due = start.advanced(by: interval * i)
                        if due > .now { try await Task.sleep(until: due) }
                        sentAt.set(i, .now)
                        _ = try await producer.send(
                            KafkaProducerRecord(topic: topic, key: Array("k\(i % 16)".utf8), value: Array("\(i)".utf8)))
                        ackedAt.set(i, .now)
                    }
                }
            }
            try await group.waitForAll()
        }
        let achieved = Double(total) / (ContinuousClock.now - start).seconds
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while receivedAt.count < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        reading.cancel()
        await consumer.close()
        await producer.shutdown()
        return (milliseconds(from: sentAt, to: ackedAt, count: total), milliseconds(from: sentAt, to: receivedAt, count: total),
                achieved)
    }

    /// librdkafka's latency mode: a consumer of the topic's three partitions from the beginning, writing each
    /// record's latency (µs) to a file, and a producer at the same rate stamping each payload with the time of
    /// its produce call.
    func kafkaLatencyRdkafka(topic: String, total: Int, _ kafka: KafkaConfiguration) async throws -> (consumer: [Double], rate: Double) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gbm-bench-latency-\(UUID())")
        defer { try? FileManager.default.removeItem(at: file) }
        let properties = kafka.properties.flatMap { ["-X", "\($0.key)=\($0.value)"] }
        let consumer = try launch(
            ["rdkafka_performance", "-C", "-l", "-A", file.path, "-t", topic, "-p", "0", "-p", "1", "-p", "2",
             "-o", "beginning", "-b", kafka.bootstrapServers, "-c", "\(total)",
             "-X", "fetch.wait.max.ms=\(kafka.fetchWaitMaxMs)", "-X", "fetch.error.backoff.ms=\(kafka.fetchErrorBackoffMs)"]
                + properties)
        try await Task.sleep(for: .seconds(2))  // the consumer has its metadata and fetches before the first record
        let produced = try shell(
            ["rdkafka_performance", "-P", "-l", "-t", topic, "-b", kafka.bootstrapServers, "-c", "\(total)",
             "-r", "\(rate)", "-s", "32", "-X", "enable.idempotence=true", "-X", "acks=all",
             "-X", "linger.ms=\(kafka.properties["linger.ms"] ?? "5")"] + properties)
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while consumer.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if consumer.isRunning { consumer.terminate() }
        consumer.waitUntilExit()
        let values = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }.map { $0 / 1000 }
        return (values, parseRate(produced))
    }

    /// `to - from` in milliseconds, over the indexes that have both.
    func milliseconds(from: Timestamps, to: Timestamps, count: Int) -> [Double] {
        (0..<count).compactMap { i in
            guard let a = from.get(i), let b = to.get(i) else { return nil }
            return (b - a).seconds * 1000
        }
    }

    /// The `q` quantile of `sorted` (NaN when empty).
    func quantile(_ sorted: [Double], _ q: Double) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }

    /// p50, p90, p99 and max of `values` (milliseconds), formatted for a table.
    func percentileCells(_ values: [Double]) -> [String] {
        let sorted = values.sorted()
        return ([0.5, 0.9, 0.99].map { quantile(sorted, $0) } + [sorted.last ?? .nan]).map {
            $0.isFinite ? String(format: "%.1f", $0) : "n/a"
        }
    }

    // MARK: - Commit to inbox latency

    func endToEndLatency(_ kafka: KafkaConfiguration, _ postgres: PostgresConfiguration, logger: Logger) async throws {
        // The first second is a warm-up, not counted: the writers' pool connections open (SCRAM authentication
        // on both sides) while the first events flow, which a running service did long before.
        let warmUp = rate
        let total = warmUp + rate * seconds
        print("\n## Latency from a writer's commit to the consumer's inbox transaction, \(rate) events/s for \(seconds) s")
        print("(after a second of warm-up at the same rate, not counted)")
        let pool = PostgresPool(configuration: postgres, logger: logger)
        let writerSchema = "bench_w_\(UUID().uuidString.prefix(8).lowercased())"
        let readerSchema = "bench_r_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresMigrator(schema: writerSchema, migrations: MessagingMigrations.all, logger: logger).migrate(pool)
        try await PostgresMigrator(schema: readerSchema, migrations: MessagingMigrations.all, logger: logger).migrate(pool)
        let topic = Topic.platformProbes.name
        try await KafkaAdmin(configuration: kafka, logger: logger).createTopics([
            KafkaTopicSpecification(name: topic, partitions: 3),
            KafkaTopicSpecification(name: Topic.deadLetterName(of: topic), partitions: 1),
        ])
        let runID = UUID().uuidString.prefix(8)
        let committedAt = Timestamps(capacity: total)
        let appliedAt = Timestamps(capacity: total)
        // The same instants by the wall clock, which PostgreSQL's timestamps share, for the stage breakdown.
        let committedWall = Slots<Double>(capacity: total)
        let appliedWall = Slots<Double>(capacity: total)
        let eventIDs = Slots<String>(capacity: total)
        let producer = try KafkaProducer(configuration: producing(kafka), logger: logger)
        // As a service's host sets it up: the signal also tells other replicas by NOTIFY, and the relay listens.
        let signal = OutboxSignal(announcingTo: pool, schema: writerSchema)
        let relay = OutboxRelay(pool: pool, schema: writerSchema, producer: producer, signal: signal, logger: logger)
        let handler = EventHandler.on(ProbeSent.self) { probe, event, _ in
            if probe.note == runID {
                appliedAt.set(Int(probe.sequence), ContinuousClock.now)
                appliedWall.set(Int(probe.sequence), Date().timeIntervalSince1970)
                eventIDs.set(Int(probe.sequence), event.id)
            }
        }
        var consumerConfiguration = EventConsumer.Configuration(groupID: "bench-\(runID)", topics: [topic])
        consumerConfiguration.maxAttempts = 1
        // Only this run's events: start at the end of the topic, not behind earlier runs' probes.
        var consumerKafka = kafka
        consumerKafka.properties["auto.offset.reset"] = "latest"
        let consumer = EventConsumer(
            configuration: consumerConfiguration, kafka: consumerKafka, pool: pool, schema: readerSchema, handlers: [handler],
            deadLetters: DeadLetterPublisher(producer: producer, logger: logger), logger: logger)
        let group = ServiceGroup(services: [relay, consumer], logger: logger)
        let running = Task { try await group.run() }
        try await Task.sleep(for: .seconds(8))  // consumer group join and catch-up of older probes

        let outbox = Outbox(schema: writerSchema, source: .reporting, signal: signal)
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        // Eight writers share the schedule, as concurrent requests of a service would: one commit's fsync
        // does not hold up the next event.
        let writers = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for i in stride(from: writer, to: total, by: writers) {
                        let due = start.advanced(by: interval * i)
                        if due > .now { try await Task.sleep(until: due) }
                        try await pool.transaction { connection in
                            try await outbox.append(
                                ProbeSent(id: "latency-\(i % 16)", sequence: Int64(i), sentAt: Date(), note: String(runID)),
                                on: connection)
                        }
                        committedAt.set(i, ContinuousClock.now)
                        committedWall.set(i, Date().timeIntervalSince1970)
                    }
                }
            }
            try await group.waitForAll()
        }
        let achieved = Double(total - warmUp) / (ContinuousClock.now - start.advanced(by: interval * warmUp)).seconds
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while appliedAt.count < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await producer.shutdown()

        var latencies: [Double] = []
        for i in warmUp..<total {
            if let c = committedAt.get(i), let a = appliedAt.get(i) { latencies.append((a - c).seconds * 1000) }
        }
        // Where the time goes, per event: the outbox row's insert and its marking as sent (after the broker's
        // acknowledgement) by PostgreSQL's clock, the commit's return and the handler's call by ours.
        var stages: [[Double]] = [[], [], [], []]
        var sequenceOf: [String: Int] = [:]
        for i in warmUp..<total { if let id = eventIDs.get(i) { sequenceOf[id] = i } }
        for row in try await pool.query("""
            SELECT ce_id, extract(epoch FROM created_at)::float8 AS inserted, extract(epoch FROM published_at)::float8 AS sent
            FROM \(identifier: writerSchema).outbox_published
            """).rows {
            guard let i = sequenceOf[try row.decode("ce_id", as: String.self)] else { continue }
            let inserted = try row.decode("inserted", as: Double.self), sent = try row.decode("sent", as: Double.self)
            guard let committed = committedWall.get(i), let applied = appliedWall.get(i) else { continue }
            stages[0].append((committed - inserted) * 1000)
            stages[1].append((sent - committed) * 1000)
            stages[2].append((applied - sent) * 1000)
            stages[3].append((sent - inserted) * 1000)
        }
        _ = try? await pool.query("DROP SCHEMA \(identifier: writerSchema) CASCADE")
        _ = try? await pool.query("DROP SCHEMA \(identifier: readerSchema) CASCADE")
        await pool.close()
        table([
            ["events", "achieved rate", "p50 ms", "p90 ms", "p99 ms", "max ms"],
            ["\(latencies.count)/\(total - warmUp)", fmt(achieved) + "/s"] + percentileCells(latencies),
        ])
        print("stages (each sorted on its own, so their percentiles do not add up):")
        table([
            ["stage", "p50 ms", "p90 ms", "p99 ms", "max ms"],
            ["insert to commit returned (writer; not in the figure above)"] + percentileCells(stages[0]),
            ["commit to acknowledged and marked sent (relay)"] + percentileCells(stages[1]),
            ["marked sent to the inbox transaction (Kafka, consumer)"] + percentileCells(stages[2]),
            ["insert to marked sent"] + percentileCells(stages[3]),
        ])
        print("target: p99 < 50 ms at 1,000 events/s")
    }

    // MARK: - Helpers

    /// `kafka` for a producer: records that cannot be delivered fail after 30 s instead of librdkafka's five
    /// minutes. (A producer property: consumers given it log a configuration warning.)
    func producing(_ kafka: KafkaConfiguration) -> KafkaConfiguration {
        var copy = kafka
        if copy.properties["message.timeout.ms"] == nil { copy.properties["message.timeout.ms"] = "30000" }
        return copy
    }

    /// Starts `arguments` with its output discarded; the caller waits for it.
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func shell(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gbm-bench-\(UUID())")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        defer { try? FileManager.default.removeItem(at: output) }
        return try String(contentsOf: output, encoding: .utf8)
    }

    /// The msgs/s figure of rdkafka_performance's summary line: "% N messages produced (B bytes), D delivered
    /// ... in T ms: R msgs/s and X MB/s ...".
    func parseRate(_ output: String) -> Double {
        let lines = output.split(separator: "\n").filter { $0.contains("msgs/s") }
        guard let line = lines.last else { return .nan }
        let words = line.split(separator: " ")
        guard let i = words.firstIndex(where: { $0.hasPrefix("msgs/s") }), i > 0 else { return .nan }
        return Double(words[i - 1]) ?? .nan
    }

    func fmt(_ value: Double) -> String {
        value.isFinite ? String(format: "%.0f", value) : "n/a"
    }

    func pct(_ value: Double) -> String {
        value.isFinite ? String(format: "%.0f%%", value * 100) : "n/a"
    }

    func table(_ rows: [[String]]) {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            print("| " + row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |")
            if index == 0 { print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|") }
        }
    }
}

/// Per-event values (instants, wall-clock times, event ids) recorded from several tasks; the first value set
/// for an index stays.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private var values: [Value?]
    private var filled = 0
    private let lock = NSLock()

    init(capacity: Int) { values = Array(repeating: nil, count: capacity) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        guard index < values.count, values[index] == nil else { return }
        values[index] = value
        filled += 1
    }

    func get(_ index: Int) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values[index]
    }

    /// How many indexes have a value.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return filled
    }
}

typealias Timestamps = Slots<ContinuousClock.Instant>

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
