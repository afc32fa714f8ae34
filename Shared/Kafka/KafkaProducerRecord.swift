/// A record to publish: the key picks the partition, so records with one key keep their order.
public struct KafkaProducerRecord: Sendable {
    /// The topic to publish to; it must already exist.
    public var topic: String
    /// The partition key (the aggregate id), or `nil` to let the partitioner spread records.
    public var key: [UInt8]?
    /// The record payload.
    public var value: [UInt8]
    /// Record headers, in order.
    public var headers: [KafkaHeader]

    /// Creates a record.
    public init(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}
