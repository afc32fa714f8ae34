import CLibRDKafka
import Foundation
import Logging

/// Topic administration over the plain Kafka protocol (CreateTopics, DeleteTopics, Metadata).
///
/// Each call creates a short-lived client and runs its blocking requests on a dedicated thread, so the admin is
/// a cheap value that can be created anywhere; configuration errors surface on the first call.
public struct KafkaAdmin: Sendable {
    private let configuration: KafkaConfiguration
    private let logger: Logger

    /// Creates an admin for the brokers in `configuration`.
    public init(configuration: KafkaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates the topics that do not exist yet and waits until the cluster's metadata lists all of them.
    /// A topic that already exists is fine (whatever its partition count).
    /// - Throws: the first topic's ``KafkaError`` (e.g. `INVALID_PARTITIONS`), or `_TIMED_OUT`.
    public func createTopics(
        _ topics: [KafkaTopicSpecification], timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        guard !topics.isEmpty else { return }
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-admin") { () -> Result<Void, KafkaError> in
            Result { () throws(KafkaError) in
                try AdminClient(configuration: configuration, logger: logger).createTopics(topics, timeout: timeout)
            }
        }
        try result.get()
    }

    /// Deletes the topics and their records; a topic that does not exist is fine.
    /// - Throws: the first topic's ``KafkaError`` (e.g. `TOPIC_AUTHORIZATION_FAILED`), or `_TIMED_OUT`.
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws(KafkaError) {
        guard !names.isEmpty else { return }
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-admin") { () -> Result<Void, KafkaError> in
            Result { () throws(KafkaError) in
                try AdminClient(configuration: configuration, logger: logger).deleteTopics(names, timeout: timeout)
            }
        }
        try result.get()
    }

    /// The number of partitions of `topic`, or `nil` if the topic does not exist.
    public func partitionCount(topic: String) async throws(KafkaError) -> Int? {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-admin") { () -> Result<Int?, KafkaError> in
            Result { () throws(KafkaError) in
                let client = try AdminClient(configuration: configuration, logger: logger)
                return try client.partitionCounts(timeoutMs: 10_000)[topic]
            }
        }
        return try result.get()
    }
}

extension KafkaAdmin {
    /// How many replicas each partition of `topic` has (the smallest count, should they differ), or `nil` if the
    /// topic does not exist.
    public func replicationFactor(topic: String) async throws(KafkaError) -> Int? {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-admin") { () -> Result<Int?, KafkaError> in
            Result { () throws(KafkaError) in
                try AdminClient(configuration: configuration, logger: logger).replicationFactors(timeoutMs: 10_000)[topic]
            }
        }
        return try result.get()
    }

    /// The configuration the broker reports for `topic` (DescribeConfigs): every entry with a value, defaults
    /// included.
    /// - Throws: the topic's ``KafkaError`` (`UNKNOWN_TOPIC_OR_PART` when it does not exist), or `_TIMED_OUT`.
    public func topicConfiguration(_ topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [String: String] {
        let configuration = configuration
        let logger = logger
        let result = await RDKafkaClient.runBlocking(name: "kafka-admin") { () -> Result<[String: String], KafkaError> in
            Result { () throws(KafkaError) in
                try AdminClient(configuration: configuration, logger: logger).topicConfiguration(topic, timeout: timeout)
            }
        }
        return try result.get()
    }
}

/// A short-lived librdkafka client for admin requests; lives and dies on one dedicated thread.
private final class AdminClient {
    let context: RDKafkaClientContext
    let rk: OpaquePointer

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client"] = "\(configuration.clientID)"
        context = RDKafkaClientContext(logger: logger)
        rk = try RDKafkaClient.make(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties(defaults: [("allow.auto.create.topics", "false")]),
            context: context
        )
    }

    deinit {
        rd_kafka_destroy(rk)
    }

    func createTopics(_ topics: [KafkaTopicSpecification], timeout: Duration) throws(KafkaError) {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics {
            guard
                let newTopic = rd_kafka_NewTopic_new(
                    topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorText, errorText.count)
            else {
                throw KafkaError.invalidConfiguration("topic \(topic.name): \(RDKafkaClient.text(errorText))")
            }
            newTopics.append(newTopic)
            for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_NewTopic_set_config(newTopic, key, value)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError(code, message: "topic \(topic.name): config \(key)=\(value) refused")
                }
            }
        }
        try runTopicRequest(
            RD_KAFKA_ADMIN_OP_CREATETOPICS, named: "CreateTopics", timeout: timeout,
            tolerating: RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, logged: ("Topic created", "Topic already exists"),
            failure: "creating topic",
            send: { options, queue in
                newTopics.withUnsafeMutableBufferPointer { buffer in
                    rd_kafka_CreateTopics(rk, buffer.baseAddress, buffer.count, options, queue)
                }
            },
            results: { event, count in
                rd_kafka_event_CreateTopics_result(event).flatMap { rd_kafka_CreateTopics_result_topics($0, &count) }
            })

        // CreateTopics may answer before every broker knows the topics: wait until the metadata lists them all.
        while true {
            let remaining = deadline - clock.now
            let known = try partitionCounts(timeoutMs: max(1_000, RDKafkaClient.milliseconds(remaining)))
            let missing = topics.filter { known[$0.name] == nil }.map(\.name)
            if missing.isEmpty { return }
            if clock.now >= deadline {
                throw KafkaError(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    message: "topics \(missing) were created but are not in the metadata yet")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func deleteTopics(_ names: [String], timeout: Duration) throws(KafkaError) {
        var deletions: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { deletions.forEach { rd_kafka_DeleteTopic_destroy($0) } }
        try runTopicRequest(
            RD_KAFKA_ADMIN_OP_DELETETOPICS, named: "DeleteTopics", timeout: timeout,
            tolerating: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, logged: ("Topic deleted", "Topic to delete does not exist"),
            failure: "deleting topic",
            send: { options, queue in
                deletions.withUnsafeMutableBufferPointer { buffer in
                    rd_kafka_DeleteTopics(rk, buffer.baseAddress, buffer.count, options, queue)
                }
            },
            results: { event, count in
                rd_kafka_event_DeleteTopics_result(event).flatMap { rd_kafka_DeleteTopics_result_topics($0, &count) }
            })
    }

    /// Sends one topic request (`send` gets its options and reply queue), waits for the answer and checks each
    /// topic's result (`results` finds them in the answer): success and `tolerated` are logged with `logged`'s
    /// two messages, any other error is thrown as "<failure> <name> failed: …".
    private func runTopicRequest(
        _ operation: rd_kafka_admin_op_t, named request: String, timeout: Duration,
        tolerating tolerated: rd_kafka_resp_err_t, logged: (done: String, tolerated: String), failure: String,
        send: (OpaquePointer?, OpaquePointer?) -> Void,
        results: (OpaquePointer, inout Int) -> UnsafeMutablePointer<OpaquePointer?>?
    ) throws(KafkaError) {
        let timeoutMs = RDKafkaClient.milliseconds(timeout)
        var errorText = [CChar](repeating: 0, count: 512)
        let options = rd_kafka_AdminOptions_new(rk, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorText, errorText.count)
        rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorText, errorText.count)
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        send(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMs &+ 5_000) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, message: "\(request) got no answer within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(eventError, message: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        var count = 0
        guard let topicResults = results(event, &count) else { return }
        for index in 0..<count {
            let topicResult = topicResults[index]
            let code = rd_kafka_topic_result_error(topicResult)
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                context.logger.info("\(logged.done)", metadata: ["kafka.topic": "\(name)"])
            case tolerated:
                context.logger.debug("\(logged.tolerated)", metadata: ["kafka.topic": "\(name)"])
            default:
                let reason = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
                throw KafkaError(
                    code, message: "\(failure) \(name) failed: \(reason ?? String(cString: rd_kafka_err2str(code)))")
            }
        }
    }

    /// The smallest replica count of any partition, for every topic in the cluster's metadata.
    func replicationFactors(timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        let code = rd_kafka_metadata(rk, 1, nil, &metadata, timeoutMs)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code, message: "metadata request failed: \(String(cString: rd_kafka_err2str(code)))")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var factors: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, topic.partition_cnt > 0 else { continue }
            factors[String(cString: topic.topic)] = (0..<Int(topic.partition_cnt))
                .map { Int(topic.partitions[$0].replica_cnt) }.min()
        }
        return factors
    }

    func topicConfiguration(_ name: String, timeout: Duration) throws(KafkaError) -> [String: String] {
        let timeoutMs = RDKafkaClient.milliseconds(timeout)
        var errorText = [CChar](repeating: 0, count: 512)
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorText, errorText.count)
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        var resources: [OpaquePointer?] = [rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name)]
        defer { resources.forEach { rd_kafka_ConfigResource_destroy($0) } }
        resources.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_DescribeConfigs(rk, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMs &+ 5_000) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, message: "DescribeConfigs got no answer within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(eventError, message: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        var count = 0
        guard let result = rd_kafka_event_DescribeConfigs_result(event),
              let described = rd_kafka_DescribeConfigs_result_resources(result, &count), count > 0,
              let resource = described[0]
        else {
            throw KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, message: "DescribeConfigs answered without topic \(name)")
        }
        let code = rd_kafka_ConfigResource_error(resource)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code, message: "describing topic \(name) failed: "
                + (rd_kafka_ConfigResource_error_string(resource).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(code))))
        }
        var entryCount = 0
        var entries: [String: String] = [:]
        if let configs = rd_kafka_ConfigResource_configs(resource, &entryCount) {
            for index in 0..<entryCount {
                guard let entry = configs[index], let value = rd_kafka_ConfigEntry_value(entry) else { continue }
                entries[String(cString: rd_kafka_ConfigEntry_name(entry))] = String(cString: value)
            }
        }
        return entries
    }

    /// The partition count of every topic in the cluster's metadata (no topic is auto-created by asking).
    func partitionCounts(timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        try RDKafkaClient.partitionCounts(rk, timeoutMs: timeoutMs)
    }
}
