import CLibRDKafka
import Foundation
import Logging

/// A consumer group's committed offsets, read and set from outside the group: what an operator uses to have a range
/// of records delivered again (`kafka-consumer-groups --reset-offsets`), and what the fault-injection run rewinds.
///
/// Setting offsets is only safe while the group has no members: a member commits its own positions over them. Stop
/// the group's consumers first (gracefully, so that they leave the group at once).
///
/// Like ``KafkaAdmin``, each call creates a short-lived client (with the group's `group.id`, never subscribed) and
/// runs it on a dedicated thread.
public struct KafkaGroupOffsets: Sendable {
    private let configuration: KafkaConfiguration
    private let logger: Logger

    public init(configuration: KafkaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The next offset `group` will read in each partition of `topic` (its committed offset); a partition the
    /// group has not committed is left out.
    public func committed(
        group: String, topic: String, partitions: [Int32], timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [Int32: Int64] {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-group-offsets") { () -> Result<[Int32: Int64], KafkaError> in
            Result { () throws(KafkaError) in
                try GroupOffsetsClient(configuration: configuration, group: group, logger: logger)
                    .committed(topic: topic, partitions: partitions, timeout: timeout)
            }
        }
        return try result.get()
    }

    /// Commits `offsets` (partition → next offset to read) of `topic` for `group`, backwards or forwards.
    /// - Throws: the first partition's ``KafkaError`` (e.g. `UNKNOWN_MEMBER_ID` or `REBALANCE_IN_PROGRESS` while the
    ///   group has members), or the request's.
    public func commit(group: String, topic: String, offsets: [Int32: Int64]) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-group-offsets") { () -> Result<Void, KafkaError> in
            Result { () throws(KafkaError) in
                try GroupOffsetsClient(configuration: configuration, group: group, logger: logger)
                    .commit(topic: topic, offsets: offsets)
            }
        }
        try result.get()
    }
}

/// A librdkafka consumer with a `group.id` that never subscribes: it only reads and writes the group's offsets.
private final class GroupOffsetsClient {
    let context: RDKafkaClientContext
    let rk: OpaquePointer

    init(configuration: KafkaConfiguration, group: String, logger: Logger) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client"] = "\(configuration.clientID)"
        context = RDKafkaClientContext(logger: logger)
        rk = try RDKafkaClient.make(
            type: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties(defaults: [
                ("group.id", group),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("allow.auto.create.topics", "false"),
            ]),
            context: context
        )
    }

    deinit {
        rd_kafka_destroy(rk)
    }

    func committed(topic: String, partitions: [Int32], timeout: Duration) throws(KafkaError) -> [Int32: Int64] {
        guard let list = rd_kafka_topic_partition_list_new(Int32(partitions.count)) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE)
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions { _ = rd_kafka_topic_partition_list_add(list, topic, partition) }
        let code = rd_kafka_committed(rk, list, RDKafkaClient.milliseconds(timeout))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, message: "reading the committed offsets of \(topic) failed")
        }
        var offsets: [Int32: Int64] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let entry = list.pointee.elems[index]
            if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(entry.err, message: "committed offset of \(topic)[\(entry.partition)]")
            }
            if entry.offset >= 0 { offsets[entry.partition] = entry.offset }
        }
        return offsets
    }

    func commit(topic: String, offsets: [Int32: Int64]) throws(KafkaError) {
        guard let list = rd_kafka_topic_partition_list_new(Int32(offsets.count)) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE)
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            rd_kafka_topic_partition_list_add(list, topic, partition)!.pointee.offset = offset
        }
        let code = rd_kafka_commit(rk, list, 0)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, message: "committing offsets of \(topic) failed")
        }
        for index in 0..<Int(list.pointee.cnt) {
            let entry = list.pointee.elems[index]
            if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(entry.err, message: "offset \(entry.offset) of \(topic)[\(entry.partition)] not committed")
            }
        }
    }
}
