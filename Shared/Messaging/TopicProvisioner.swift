import Contracts
import Kafka
import Logging

/// Creates the topics a service writes and the dead-letter topics of those it reads, if missing, with the
/// deployment's durability settings.
public struct TopicProvisioner: Sendable {
    /// How many copies of each partition the brokers keep, and how many must have a record before a producer with
    /// `acks=all` (every producer here) is told it is written. One and one on a developer's single broker; three and
    /// two on a cluster, which then loses no acknowledged event and keeps accepting them with one broker down.
    public struct Durability: Sendable, Equatable {
        public var replicationFactor: Int
        public var minInsyncReplicas: Int

        public init(replicationFactor: Int = 1, minInsyncReplicas: Int = 1) {
            self.replicationFactor = replicationFactor
            self.minInsyncReplicas = minInsyncReplicas
        }

        /// A single broker: what the local scripts run.
        public static let singleBroker = Durability()
    }

    private let admin: KafkaAdmin
    private let durability: Durability
    private let logger: Logger

    public init(admin: KafkaAdmin, durability: Durability = .singleBroker, logger: Logger) {
        self.admin = admin
        self.durability = durability
        self.logger = logger
    }

    /// What `ensure` asks the brokers to create: the owned topics, the consumed ones (a consumer may start before
    /// their owner) and the consumed ones' dead-letter topics, each once, all with the durability settings. A topic
    /// that exists already is left as it is.
    public func specifications(owned: [Topic], consumed: [Topic], partitions: Int? = nil) -> [KafkaTopicSpecification] {
        func specification(_ name: String, _ partitions: Int) -> KafkaTopicSpecification {
            KafkaTopicSpecification(
                name: name, partitions: partitions, replicationFactor: durability.replicationFactor,
                configs: ["min.insync.replicas": String(durability.minInsyncReplicas)])
        }
        var specs = owned.map { specification($0.name, partitions ?? $0.partitions) }
        specs += consumed.map { specification($0.name, partitions ?? $0.partitions) }
        specs += consumed.map { specification(DeadLetterPublisher.topic(for: $0.name), 1) }
        var seen = Set<String>()
        return specs.filter { seen.insert($0.name).inserted }
    }

    public func ensure(owned: [Topic], consumed: [Topic], partitions: Int? = nil) async throws {
        let specs = specifications(owned: owned, consumed: consumed, partitions: partitions)
        guard !specs.isEmpty else { return }
        try await admin.createTopics(specs)
        logger.info("topics ready", metadata: [
            "kafka.topics": "\(specs.map(\.name).joined(separator: ","))",
            "kafka.replication_factor": "\(durability.replicationFactor)",
            "kafka.min_insync_replicas": "\(durability.minInsyncReplicas)",
        ])
    }
}
