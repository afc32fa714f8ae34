/// A topic to create with ``KafkaAdmin/createTopics(_:timeout:)``.
public struct KafkaTopicSpecification: Sendable, Equatable {
    /// The topic name.
    public var name: String
    /// The number of partitions: the most consumers of one group that can share the topic.
    public var partitions: Int
    /// How many brokers keep a copy of each partition (1 in development).
    public var replicationFactor: Int
    /// Topic-level configuration set at creation (e.g. `min.insync.replicas`); the broker's defaults otherwise.
    public var configs: [String: String]

    /// Creates a topic specification.
    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
