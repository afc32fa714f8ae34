import CLibRDKafka
import Foundation
import Logging

/// Reads a topic's records by partition and offset, without a consumer group: nothing is committed and no group
/// sees a member join, so an operator's tool can look at a topic (a dead-letter topic, say) while the services
/// consume it.
///
/// Like ``KafkaAdmin``, each call creates a short-lived client and runs it on a dedicated thread: a reader is a cheap
/// value for rare, interactive work.
public struct KafkaTopicReader: Sendable {
    /// The first and the next offset of a partition: its records are `low..<high`.
    public struct Watermarks: Sendable, Equatable {
        public var partition: Int32
        public var low: Int64
        public var high: Int64
    }

    private let configuration: KafkaConfiguration
    private let logger: Logger

    public init(configuration: KafkaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Every partition's watermarks, in partition order.
    /// - Throws: `UNKNOWN_TOPIC_OR_PART` when the topic does not exist; `_TIMED_OUT`, `_TRANSPORT`…
    public func watermarks(topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [Watermarks] {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-reader") { () -> Result<[Watermarks], KafkaError> in
            Result { () throws(KafkaError) in
                try ReaderClient(configuration: configuration, logger: logger).watermarks(topic: topic, timeout: timeout)
            }
        }
        return try result.get()
    }

    /// The records of `topic` from offset `start` (or each partition's first) up to `end` (exclusive; or each
    /// partition's end when the call began), in partition order and then offset order, at most `limit` per partition.
    /// - Parameter partitions: the partitions to read; all by default.
    /// - Throws: `UNKNOWN_TOPIC_OR_PART`, `UNKNOWN_PARTITION` for a partition the topic does not have, `_TIMED_OUT`
    ///   when the records are not all read within `timeout`.
    public func read(
        topic: String, partitions: [Int32]? = nil, from start: Int64 = 0, upTo end: Int64? = nil,
        limit: Int = .max, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [KafkaMessage] {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-reader") { () -> Result<[KafkaMessage], KafkaError> in
            Result { () throws(KafkaError) in
                try ReaderClient(configuration: configuration, logger: logger).read(
                    topic: topic, partitions: partitions, start: start, end: end, limit: limit, timeout: timeout)
            }
        }
        return try result.get()
    }
}

/// A librdkafka consumer without a group that reads partitions from given offsets (librdkafka's simple consumer:
/// `rd_kafka_consume_start_queue`, which needs no `group.id`); lives and dies on one dedicated thread.
private final class ReaderClient {
    let context: RDKafkaClientContext
    let rk: OpaquePointer

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client"] = "\(configuration.clientID)"
        context = RDKafkaClientContext(logger: logger)
        rk = try RDKafkaClient.make(
            type: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties(defaults: [
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("enable.partition.eof", "true"),
                ("allow.auto.create.topics", "false"),
                ("fetch.wait.max.ms", String(min(configuration.fetchWaitMaxMs, 100))),
                ("fetch.error.backoff.ms", String(min(configuration.fetchErrorBackoffMs, 100))),
            ]),
            context: context)
    }

    deinit {
        rd_kafka_destroy(rk)
    }

    func watermarks(topic: String, timeout: Duration) throws(KafkaError) -> [KafkaTopicReader.Watermarks] {
        let timeoutMs = max(1_000, RDKafkaClient.milliseconds(timeout))
        guard let count = try RDKafkaClient.partitionCounts(rk, timeoutMs: timeoutMs)[topic] else {
            throw KafkaError(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, message: "topic \(topic) does not exist")
        }
        var result: [KafkaTopicReader.Watermarks] = []
        for partition in 0..<Int32(count) {
            var low: Int64 = 0
            var high: Int64 = 0
            let code = rd_kafka_query_watermark_offsets(rk, topic, partition, &low, &high, timeoutMs)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code, message: "offsets of \(topic)[\(partition)]: \(String(cString: rd_kafka_err2str(code)))")
            }
            result.append(KafkaTopicReader.Watermarks(partition: partition, low: low, high: high))
        }
        return result
    }

    func read(
        topic: String, partitions wanted: [Int32]?, start: Int64, end: Int64?, limit: Int, timeout: Duration
    ) throws(KafkaError) -> [KafkaMessage] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let all = try watermarks(topic: topic, timeout: timeout)
        if let wanted, let missing = wanted.first(where: { partition in !all.contains { $0.partition == partition } }) {
            throw KafkaError(
                RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, message: "topic \(topic) has no partition \(missing) (it has \(all.count))")
        }
        // What to read of each partition: from `start` (at least its first offset) to `end` (at most its end), at
        // most `limit` records.
        var ranges: [Int32: Range<Int64>] = [:]
        for marks in all where wanted?.contains(marks.partition) ?? true {
            let from = max(start, marks.low)
            var to = min(end ?? marks.high, marks.high)
            if limit < Int.max { to = min(to, from &+ Int64(limit)) }
            if from < to { ranges[marks.partition] = from..<to }
        }
        guard !ranges.isEmpty else { return [] }
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        guard let rkt = rd_kafka_topic_new(rk, topic, nil) else {
            throw KafkaError(rd_kafka_last_error(), message: "topic \(topic): cannot be used")
        }
        defer { rd_kafka_topic_destroy(rkt) }
        var started: [Int32] = []
        defer { for partition in started { rd_kafka_consume_stop(rkt, partition) } }
        for (partition, range) in ranges.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_consume_start_queue(rkt, partition, range.lowerBound, queue) == 0 else {
                throw KafkaError(rd_kafka_last_error(), message: "reading \(topic)[\(partition)] from \(range.lowerBound)")
            }
            started.append(partition)
        }

        var topicNames = TopicNameCache()
        var read: [Int32: [KafkaMessage]] = [:]
        var pending = ranges
        while !pending.isEmpty {
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw KafkaError(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    message: "reading \(topic) did not finish within \(timeout): partitions \(pending.keys.sorted()) unread")
            }
            guard let message = rd_kafka_consume_queue(queue, min(100, RDKafkaClient.milliseconds(remaining))) else {
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            let partition = message.pointee.partition
            guard let range = pending[partition] else { continue }
            let code = message.pointee.err
            if code == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                pending[partition] = nil
                continue
            }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let error = KafkaError(code, message: String(cString: rd_kafka_message_errstr(message)))
                if error.isRetriable { continue }
                throw error
            }
            let offset = message.pointee.offset
            if range.contains(offset) {
                read[partition, default: []].append(KafkaMessage(copying: message, topicNames: &topicNames))
            }
            if offset + 1 >= range.upperBound { pending[partition] = nil }
        }
        return read.keys.sorted().flatMap { read[$0]! }
    }
}
