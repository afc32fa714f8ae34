import ArgumentParser
import Foundation
import Kafka
import Logging
import Messaging
import ServiceHost
import ServiceKit

/// `gbm-dlq`: lists, shows and replays the records of a dead-letter topic.
///
///     gbm-dlq list gbm.pilot.regions.v1                 # the topic's dead letters (or name the .dlq topic)
///     gbm-dlq show gbm.pilot.regions.v1 --offset 3      # one of them: headers, reason, where it came from, payload
///     gbm-dlq replay gbm.pilot.regions.v1 --offset 3    # put it back on gbm.pilot.regions.v1 (also --from/--to, --all)
///
/// Connects as the `GBM_KAFKA_*` variables say, like a service (brokers, security protocol, SASL user, CA): in the
/// compose deployment, the operators' principal `gbm-ops` on the external listener. Reading joins no consumer group.
@main
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbm-dlq",
        abstract: "List, show and replay the records of a dead-letter topic.",
        discussion: """
            Kafka settings come from the environment, as for a service: GBM_KAFKA_BROKERS, GBM_KAFKA_SECURITY_PROTOCOL, \
            GBM_KAFKA_SASL_MECHANISM, GBM_KAFKA_SASL_USERNAME, GBM_KAFKA_SASL_PASSWORD, GBM_KAFKA_SSL_CA_LOCATION. \
            A replayed record goes back to its original topic with its key, value and CloudEvent headers: every consumer \
            group sees it again, and those that applied it already drop it (their inboxes know its ce_id). Replay after \
            fixing what made the consumer give up.
            """,
        subcommands: [List.self, Show.self, Replay.self])
}

/// The topic a command works on, and the environment's Kafka settings.
struct TopicOptions: ParsableArguments {
    @Argument(help: "The dead-letter topic, or the topic whose dead letters to read (e.g. gbm.pilot.regions.v1).")
    var topic: String

    var deadLetterTopic: String { DeadLetterQueue.deadLetterTopic(topic) }

    func queue() throws -> DeadLetterQueue {
        DeadLetterQueue(kafka: try kafkaConfiguration(), logger: toolLogger())
    }
}

/// Only the dead letters of one consumer group, or with one reason code.
struct Filters: ParsableArguments {
    @Option(help: "Only dead letters of this consumer group (dlq_consumer_group), e.g. gbm-catalogue.")
    var group: String?

    @Option(help: "Only dead letters with this reason code (dlq_reason_code), e.g. handler-failed.")
    var reasonCode: String?

    func matches(_ letter: DeadLetter) -> Bool {
        (group == nil || letter.consumerGroup == group) && (reasonCode == nil || letter.reasonCode == reasonCode)
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a dead-letter topic's records: offset, time, original position, group, reason, event.")

    @OptionGroup var topic: TopicOptions
    @Option(help: "Only this partition of the dead-letter topic (default: all).")
    var partition: Int32?
    @Option(help: "First offset to list.")
    var from: Int64 = 0
    @Option(help: "At most this many records per partition.")
    var limit: Int = 1_000
    @OptionGroup var filters: Filters
    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    func run() async throws {
        let queue = try topic.queue()
        let marks = try await queue.watermarks(topic: topic.topic)
        let letters = try await queue.list(topic: topic.topic, partition: partition, from: from, limit: limit)
            .filter(filters.matches)
        if json {
            for letter in letters { print(try jsonLine(summary(letter))) }
            return
        }
        let ranges = marks.map { "partition \($0.partition): offsets \($0.low)..<\($0.high)" }.joined(separator: ", ")
        print("\(topic.deadLetterTopic): \(letters.count) dead letter(s) listed (\(ranges))")
        guard !letters.isEmpty else { return }
        let rows = letters.map { letter in
            [
                "\(letter.partition):\(letter.offset)", letter.failedAt.map(formatTime) ?? "-",
                letter.originalPosition ?? "-", letter.consumerGroup ?? "-", letter.reasonCode ?? "-",
                letter.eventType ?? "-", letter.eventID ?? "-", oneLine(letter.reason ?? "-"),
            ]
        }
        printTable(header: ["OFFSET", "FAILED AT", "ORIGINAL", "GROUP", "REASON CODE", "EVENT TYPE", "EVENT ID", "REASON"],
                   rows: rows)
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one dead letter: all headers, reason, original position, key and payload.")

    @OptionGroup var topic: TopicOptions
    @Option(help: "Partition of the dead-letter topic.")
    var partition: Int32 = 0
    @Option(help: "Offset of the dead letter.")
    var offset: Int64
    @Flag(help: "One JSON object instead of text.")
    var json = false

    func run() async throws {
        guard let letter = try await topic.queue().letters(topic: topic.topic, partition: partition, offsets: [offset]).first
        else { return }
        if json {
            var object = summary(letter)
            object["key"] = letter.record.key.map { text($0) as Any } ?? NSNull()
            object["headers"] = letter.record.headers.map { header -> [String: Any] in
                ["key": header.key, "value": header.value.map { text($0) as Any } ?? NSNull()]
            }
            object["payload"] = text(letter.record.value)
            print(try jsonLine(object))
            return
        }
        print("dead letter      \(letter.topic)[\(letter.partition)]@\(letter.offset)")
        print("failed at        \(letter.failedAt.map(formatTime) ?? "-")")
        print("consumer group   \(letter.consumerGroup ?? "-")")
        print("reason code      \(letter.reasonCode ?? "-")")
        print("reason           \(letter.reason ?? "-")")
        print("original         \(letter.originalPosition ?? "-")")
        print("event            \(letter.eventType ?? "-") \(letter.eventID ?? "-") from \(letter.eventSource ?? "-")")
        print("key              \(letter.record.key.map { text($0) } ?? "(none)")")
        print("headers")
        for header in letter.record.headers {
            print("  \(header.key): \(header.value.map { text($0) } ?? "(no value)")")
        }
        print("payload (\(letter.record.value.count) bytes)")
        print(prettyPayload(letter.record.value))
    }
}

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish chosen dead letters again to their original topics, keeping key and CloudEvent headers.",
        discussion: """
            Choose with --offset (repeatable), --from/--to (inclusive) or --all, optionally narrowed by --group and \
            --reason-code. Records are published in offset order (a key keeps its order) and each original record \
            once, however many consumer groups dead-lettered it. Nothing is published when a chosen offset has no \
            record. The exit status is non-zero when any record could not be replayed.
            """)

    @OptionGroup var topic: TopicOptions
    @Option(help: "Partition of the dead-letter topic.")
    var partition: Int32 = 0
    @Option(name: .customLong("offset"), help: "Offset of a dead letter to replay (repeatable).")
    var offsets: [Int64] = []
    @Option(help: "First offset of a range to replay.")
    var from: Int64?
    @Option(help: "Last offset (inclusive) of a range to replay.")
    var to: Int64?
    @Flag(help: "Replay every dead letter of the partition.")
    var all = false
    @OptionGroup var filters: Filters
    @Flag(help: "Show what would be replayed; publish nothing.")
    var dryRun = false

    func validate() throws {
        let modes = [!offsets.isEmpty, from != nil || to != nil, all].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("choose the dead letters with exactly one of --offset, --from/--to or --all")
        }
        if from != nil || to != nil {
            guard let from, let to else { throw ValidationError("--from and --to go together") }
            guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
        }
    }

    func run() async throws {
        let queue = try topic.queue()
        var chosen: [DeadLetter]
        if !offsets.isEmpty {
            chosen = try await queue.letters(topic: topic.topic, partition: partition, offsets: offsets)
        } else if let from, let to {
            chosen = try await queue.letters(topic: topic.topic, partition: partition, offsets: Array(from...to))
        } else {
            chosen = try await queue.list(topic: topic.topic, partition: partition, limit: .max)
        }
        chosen = chosen.filter(filters.matches)
        guard !chosen.isEmpty else {
            print("\(topic.deadLetterTopic): no dead letter matches")
            return
        }
        if dryRun {
            for letter in chosen {
                print("would replay \(letter.partition):\(letter.offset) -> \(letter.originalTopic ?? "(no original topic)")"
                    + "  \(letter.eventType ?? "-") \(letter.eventID ?? "-")")
            }
            return
        }
        let producer = try KafkaProducer(configuration: try kafkaConfiguration(), logger: toolLogger())
        let outcomes = await queue.replay(chosen, using: producer)
        await producer.shutdown()
        var failed = 0
        for outcome in outcomes {
            let letter = outcome.letter
            let what = "\(letter.partition):\(letter.offset) \(letter.eventType ?? "-") \(letter.eventID ?? "-")"
            switch outcome.result {
            case .replayed(let report):
                print("replayed \(what) -> \(report.topic)[\(report.partition)]@\(report.offset)")
            case .duplicate(let earlier):
                print("skipped  \(what): the same original record as \(letter.partition):\(earlier), replayed once")
            case .failed(let reason):
                failed += 1
                print("FAILED   \(what): \(reason)")
            }
        }
        let replayed = outcomes.filter(\.isReplayed).count
        print("\(replayed) replayed, \(outcomes.count - replayed - failed) skipped as duplicates, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}

// MARK: - Shared

func kafkaConfiguration() throws -> KafkaConfiguration {
    try HostConfiguration.kafka(environment: .process, clientID: "gbm-dlq")
}

func toolLogger() -> Logger {
    var logger = Logger(label: "gbm-dlq") { StreamLogHandler.standardError(label: $0) }
    let level = ProcessInfo.processInfo.environment["GBM_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
    logger.logLevel = level ?? .warning
    return logger
}

func summary(_ letter: DeadLetter) -> [String: Any] {
    [
        "topic": letter.topic, "partition": Int(letter.partition), "offset": Int(letter.offset),
        "failedAt": letter.failedAt.map(formatTime) ?? NSNull(),
        "originalTopic": letter.originalTopic ?? NSNull(),
        "originalPartition": letter.originalPartition.map { Int($0) } ?? NSNull(),
        "originalOffset": letter.originalOffset.map { Int($0) } ?? NSNull(),
        "consumerGroup": letter.consumerGroup ?? NSNull(), "reasonCode": letter.reasonCode ?? NSNull(),
        "reason": letter.reason ?? NSNull(), "eventId": letter.eventID ?? NSNull(),
        "eventType": letter.eventType ?? NSNull(), "eventSource": letter.eventSource ?? NSNull(),
    ]
}

func jsonLine(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
           as: UTF8.self)
}

func formatTime(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
}

/// UTF-8 text, or hex for bytes that are not.
func text(_ bytes: [UInt8]) -> String {
    String(validating: bytes, as: UTF8.self) ?? "0x" + bytes.map { String(format: "%02x", $0) }.joined()
}

func prettyPayload(_ bytes: [UInt8]) -> String {
    if let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
       let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
        return String(decoding: pretty, as: UTF8.self)
    }
    return text(bytes)
}

func oneLine(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: " ")
}

func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in
        ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    for row in [header] + rows {
        let cells = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }
        print(cells.joined(separator: "  "))
    }
}
