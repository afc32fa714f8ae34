import Contracts
import Foundation
import Kafka
import Logging

/// A record on a dead-letter topic, read back with what ``DeadLetterPublisher`` wrote about it: why it was given
/// up on, by which consumer group, and where it came from.
public struct DeadLetter: Sendable {
    /// The record as it sits on the dead-letter topic (its topic, partition and offset are the dead letter's).
    public var record: KafkaMessage

    public init(record: KafkaMessage) {
        self.record = record
    }

    public var topic: String { record.topic }
    public var partition: Int32 { record.partition }
    public var offset: Int64 { record.offset }

    /// The stable reason code (``DeadLetterReason``'s raw values), `dlq_reason_code`.
    public var reasonCode: String? { record.headerString(DeadLetterPublisher.reasonCodeHeader) }
    /// The reason in words, `dlq_reason`.
    public var reason: String? { record.headerString(DeadLetterPublisher.reasonHeader) }
    public var consumerGroup: String? { record.headerString(DeadLetterPublisher.groupHeader) }
    /// Where the consumer read the record: `dlq_original_topic`, `_partition`, `_offset`.
    public var originalTopic: String? { record.headerString(DeadLetterPublisher.topicHeader) }
    public var originalPartition: Int32? { record.headerString(DeadLetterPublisher.partitionHeader).flatMap { Int32($0) } }
    public var originalOffset: Int64? { record.headerString(DeadLetterPublisher.offsetHeader).flatMap { Int64($0) } }
    /// When the consumer gave up (`dlq_failed_at`), else when the dead letter was written.
    public var failedAt: Date? {
        record.headerString(DeadLetterPublisher.timeHeader).flatMap { ISO8601DateFormatter().date(from: $0) }
            ?? record.timestamp
    }
    /// The CloudEvent attributes of the original record, as far as it had them.
    public var eventID: String? { record.headerString("ce_id") }
    public var eventType: String? { record.headerString("ce_type") }
    public var eventSource: String? { record.headerString("ce_source") }

    /// The original record's position, `topic[partition]@offset`, when the headers say it.
    public var originalPosition: String? {
        guard let originalTopic else { return nil }
        return "\(originalTopic)[\(originalPartition.map(String.init) ?? "?")]@\(originalOffset.map(String.init) ?? "?")"
    }

    /// The record that replays this dead letter: to its original topic, with its original key, value and headers
    /// (the CloudEvent's `ce_*` among them, so consumers' inboxes recognise an event they already applied), without
    /// the `dlq_*` headers.
    /// - Throws: ``DeadLetterError/notReplayable(offset:reason:)`` when the headers do not name an original topic,
    ///   or name a dead-letter topic.
    public func replayRecord() throws(DeadLetterError) -> KafkaProducerRecord {
        guard let originalTopic, !originalTopic.isEmpty else {
            throw .notReplayable(offset: offset, reason: "it has no \(DeadLetterPublisher.topicHeader) header")
        }
        guard !originalTopic.hasSuffix(DeadLetterQueue.suffix) else {
            throw .notReplayable(offset: offset, reason: "its original topic \(originalTopic) is a dead-letter topic")
        }
        return KafkaProducerRecord(
            topic: originalTopic, key: record.key, value: record.value,
            headers: record.headers.filter { !$0.key.hasPrefix("dlq_") })
    }
}

/// What went wrong with a dead letter.
public enum DeadLetterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No record at this offset (it was never written, or retention removed it).
    case notFound(topic: String, partition: Int32, offset: Int64)
    /// The dead letter cannot be put back: its headers do not say where it came from.
    case notReplayable(offset: Int64, reason: String)

    public var description: String {
        switch self {
        case .notFound(let topic, let partition, let offset):
            "\(topic)[\(partition)] has no record at offset \(offset)"
        case .notReplayable(let offset, let reason):
            "the dead letter at offset \(offset) cannot be replayed: \(reason)"
        }
    }
}

/// Lists, shows and replays the records of a dead-letter topic: what `gbm-dlq` does.
///
/// Reading needs no consumer group (``KafkaTopicReader``), so looking changes nothing for the services. Replaying
/// publishes each chosen dead letter's ``DeadLetter/replayRecord()`` with an idempotent producer and waits for the
/// broker's acknowledgement; every consumer group of the original topic then sees the record again, and those that
/// applied it already drop it in their inboxes. Dead letters of one original record (each consumer group that gave up
/// on it wrote its own) are replayed once.
public struct DeadLetterQueue: Sendable {
    private let reader: KafkaTopicReader
    private let logger: Logger

    public init(kafka: KafkaConfiguration, logger: Logger) {
        reader = KafkaTopicReader(configuration: kafka, logger: logger)
        self.logger = logger
    }

    /// What ends a dead-letter topic's name (`Topic.deadLetterName(of:)`).
    static let suffix = Topic.deadLetterName(of: "")

    /// The dead-letter topic of `name`, or `name` itself when it is one already.
    public static func deadLetterTopic(_ name: String) -> String {
        name.hasSuffix(DeadLetterQueue.suffix) ? name : DeadLetterPublisher.topic(for: name)
    }

    /// The partitions' offsets of the dead-letter topic.
    public func watermarks(topic: String) async throws -> [KafkaTopicReader.Watermarks] {
        try await reader.watermarks(topic: Self.deadLetterTopic(topic))
    }

    /// The dead letters of `topic` (its dead-letter topic, or its own name) from offset `from`, at most `limit` per
    /// partition, in partition and offset order.
    public func list(topic: String, partition: Int32? = nil, from: Int64 = 0, limit: Int = 1_000) async throws -> [DeadLetter] {
        try await reader.read(
            topic: Self.deadLetterTopic(topic), partitions: partition.map { [$0] }, from: from, limit: limit
        ).map(DeadLetter.init(record:))
    }

    /// The dead letters at `offsets` of one partition, in offset order.
    /// - Throws: ``DeadLetterError/notFound(topic:partition:offset:)`` for the first offset with no record.
    public func letters(topic: String, partition: Int32 = 0, offsets: [Int64]) async throws -> [DeadLetter] {
        guard let first = offsets.min(), let last = offsets.max() else { return [] }
        let name = Self.deadLetterTopic(topic)
        let read = try await reader.read(topic: name, partitions: [partition], from: first, upTo: last + 1)
        let byOffset = Dictionary(read.map { ($0.offset, $0) }, uniquingKeysWith: { first, _ in first })
        return try Set(offsets).sorted().map { offset in
            guard let record = byOffset[offset] else {
                throw DeadLetterError.notFound(topic: name, partition: partition, offset: offset)
            }
            return DeadLetter(record: record)
        }
    }

    /// What became of one dead letter on replay.
    public struct ReplayOutcome: Sendable {
        public enum Result: Sendable {
            /// Published to the original topic, where the broker stored it.
            case replayed(KafkaDeliveryReport)
            /// Not published again: an earlier dead letter of the same original record was replayed in this run.
            case duplicate(ofOffset: Int64)
            /// Not replayable, or the broker did not take it.
            case failed(String)
        }

        public var letter: DeadLetter
        public var result: Result

        public var isReplayed: Bool {
            if case .replayed = result { return true }
            return false
        }
    }

    /// Publishes each letter's replay record (in the order given, which keeps a key's order), once per original
    /// record, and returns each letter's outcome.
    public func replay(_ letters: [DeadLetter], using producer: KafkaProducer) async -> [ReplayOutcome] {
        struct Origin: Hashable { var topic: String; var partition: Int32?; var offset: Int64?; var event: String? }
        var outcomes: [ReplayOutcome?] = Array(repeating: nil, count: letters.count)
        var firstOfOrigin: [Origin: Int64] = [:]
        var records: [KafkaProducerRecord] = []
        var recordIndices: [Int] = []
        for (index, letter) in letters.enumerated() {
            let record: KafkaProducerRecord
            do {
                record = try letter.replayRecord()
            } catch {
                outcomes[index] = ReplayOutcome(letter: letter, result: .failed(error.description))
                continue
            }
            // The original position identifies the record (several groups' dead letters of it share it); without
            // one, the event's source and id do.
            let origin = Origin(
                topic: record.topic, partition: letter.originalPartition, offset: letter.originalOffset,
                event: letter.originalOffset == nil ? "\(letter.eventSource ?? "")|\(letter.eventID ?? "")" : nil)
            if let earlier = firstOfOrigin[origin] {
                outcomes[index] = ReplayOutcome(letter: letter, result: .duplicate(ofOffset: earlier))
                continue
            }
            firstOfOrigin[origin] = letter.offset
            records.append(record)
            recordIndices.append(index)
        }
        let results = await producer.send(records)
        for (position, index) in recordIndices.enumerated() {
            switch results[position] {
            case .success(let report):
                outcomes[index] = ReplayOutcome(letter: letters[index], result: .replayed(report))
                logger.info("dead letter replayed", metadata: [
                    "dlq.topic": "\(letters[index].topic)", "dlq.offset": "\(letters[index].offset)",
                    "kafka.topic": "\(report.topic)", "kafka.partition": "\(report.partition)",
                    "kafka.offset": "\(report.offset)", "event.id": "\(letters[index].eventID ?? "")",
                ])
            case .failure(let error):
                outcomes[index] = ReplayOutcome(letter: letters[index], result: .failed(error.description))
            }
        }
        return outcomes.map { $0! }
    }
}
