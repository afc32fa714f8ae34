import Foundation

/// A record received by a ``KafkaConsumer``.
public struct KafkaMessage: Sendable {
    /// The topic the record came from.
    public var topic: String
    /// The partition the record came from.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// The record key, or `nil` if it had none.
    public var key: [UInt8]?
    /// The record payload (empty for a record without a value).
    public var value: [UInt8]
    /// The record headers, in order.
    public var headers: [KafkaHeader]
    /// The record timestamp (create or log-append time), if the broker reported one.
    public var timestamp: Date?

    /// Creates a message (useful for test doubles of a consumer).
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The value of the first header named `key`, or `nil` if there is none or it has no value.
    public func header(_ key: String) -> [UInt8]? {
        headers.first { $0.key == key }?.value ?? nil
    }

    /// The value of the first header named `key` decoded as UTF-8, or `nil` if absent or not valid UTF-8.
    public func headerString(_ key: String) -> String? {
        guard let bytes = header(key) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Where this message sits.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }
}
