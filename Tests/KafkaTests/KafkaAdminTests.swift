import Kafka
import TestSupport
import Testing

@Suite("Kafka admin")
struct KafkaAdminTests {
    @Test func createsTopicsWithTheirPartitionCountsAndAcceptsExistingOnes() async throws {
        let environment = try TestEnvironment.current()
        let admin = KafkaAdmin(configuration: testConfiguration(environment), logger: testLogger)
        let three = uniqueName("admin")
        let one = uniqueName("admin")
        #expect(try await admin.partitionCount(topic: three) == nil)

        try await admin.createTopics([
            KafkaTopicSpecification(name: three, partitions: 3),
            KafkaTopicSpecification(name: one, partitions: 1),
        ])
        #expect(try await admin.partitionCount(topic: three) == 3)
        #expect(try await admin.partitionCount(topic: one) == 1)

        try await admin.createTopics([KafkaTopicSpecification(name: three, partitions: 3)])
        #expect(try await admin.partitionCount(topic: three) == 3)
        #expect(try await admin.partitionCount(topic: uniqueName("absent")) == nil)
    }
}
