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

    @Test func deletesTopicsAndAcceptsAbsentOnes() async throws {
        let environment = try TestEnvironment.current()
        let admin = KafkaAdmin(configuration: testConfiguration(environment), logger: testLogger)
        let doomed = uniqueName("admin")
        let kept = uniqueName("admin")
        try await admin.createTopics([
            KafkaTopicSpecification(name: doomed, partitions: 2), KafkaTopicSpecification(name: kept, partitions: 1),
        ])
        try await admin.deleteTopics([doomed, uniqueName("absent")])
        // The metadata may lag the deletion by a moment.
        #expect(await eventually(timeout: .seconds(10)) { (try? await admin.partitionCount(topic: doomed)) == .some(nil) })
        #expect(try await admin.partitionCount(topic: kept) == 1, "only the named topics are deleted")
    }
}
