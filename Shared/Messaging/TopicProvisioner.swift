import Contracts
import Kafka
import Logging

/// Creates the topics a service writes and the dead-letter topics of those it reads, if missing.
public struct TopicProvisioner: Sendable {
    private let admin: KafkaAdmin
    private let logger: Logger

    public init(admin: KafkaAdmin, logger: Logger) {
        self.admin = admin
        self.logger = logger
    }

    public func ensure(owned: [Topic], consumed: [Topic], partitions: Int? = nil) async throws {
        var specs: [KafkaTopicSpecification] = owned.map {
            KafkaTopicSpecification(name: $0.name, partitions: partitions ?? $0.partitions)
        }
        // A consumer may start before the owning service: create what it reads too (no-op when present).
        specs += consumed.map { KafkaTopicSpecification(name: $0.name, partitions: partitions ?? $0.partitions) }
        specs += consumed.map { KafkaTopicSpecification(name: DeadLetterPublisher.topic(for: $0.name), partitions: 1) }
        var seen = Set<String>()
        specs = specs.filter { seen.insert($0.name).inserted }
        guard !specs.isEmpty else { return }
        try await admin.createTopics(specs)
        logger.info("topics ready", metadata: ["kafka.topics": "\(specs.map(\.name).joined(separator: ","))"])
    }
}
