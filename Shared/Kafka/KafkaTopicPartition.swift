/// One partition of one topic, e.g. in a consumer's assignment.
public struct KafkaTopicPartition: Sendable, Hashable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// Creates a topic partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// How far a consumer is behind on one partition (``KafkaConsumer/lag()``).
public struct KafkaPartitionLag: Sendable, Hashable {
    public var partition: KafkaTopicPartition
    /// The offset the next produced record will get, as last seen in a fetch response.
    public var highWatermark: Int64
    /// The next offset the application will process.
    public var position: Int64
    /// Records on the broker the application has not processed yet.
    public var lag: Int64

    public init(partition: KafkaTopicPartition, highWatermark: Int64, position: Int64, lag: Int64) {
        self.partition = partition
        self.highWatermark = highWatermark
        self.position = position
        self.lag = lag
    }
}
