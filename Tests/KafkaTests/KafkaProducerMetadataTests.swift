import Foundation
import Kafka
import TestSupport
import Testing

/// A producer answers "does this topic exist, how many partitions" on its own client, for readiness probes.
@Suite("Kafka producer metadata")
struct KafkaProducerMetadataTests {
    @Test func answersOnItsOwnClientHoweverOftenAndConcurrentlyItIsAsked() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, prefix: "metadata", partitions: 3)
        var configuration = testConfiguration(environment)
        configuration.clientID = uniqueName("metadata")
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
        defer { Task { await producer.shutdown() } }
        #expect(KafkaClientStatistics.clientsCreated(clientID: configuration.clientID) == 1)

        #expect(try await producer.partitionCount(topic: topic) == 3)
        #expect(try await producer.partitionCount(topic: uniqueName("absent")) == nil, "a missing topic is nil")
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<40 { group.addTask { try await producer.partitionCount(topic: topic) } }
            for try await count in group { #expect(count == 3) }
        }
        #expect(KafkaClientStatistics.clientsCreated(clientID: configuration.clientID) == 1,
                "42 questions, no client but the producer's own")
    }

    @Test
    func aFrozenBrokerIsAnErrorWithinTheTimeoutAndTheAnswersComeBackWithIt() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        var configuration = testConfiguration(try TestEnvironment.current())
        configuration.bootstrapServers = broker.bootstrapServers
        let admin = KafkaAdmin(configuration: configuration, logger: testLogger)
        let topic = uniqueName("metadata")
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 2)])
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
        defer { Task { await producer.shutdown() } }
        #expect(try await producer.partitionCount(topic: topic) == 2)

        broker.pause()
        #expect(await eventually(timeout: .seconds(10)) { broker.processState == "T" }, "the broker is stopped")
        #expect(broker.holdsItsPort, "the paused process is the one listening on \(broker.bootstrapServers)")
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: KafkaError.self, "state \(broker.processState), port its own: \(broker.holdsItsPort)") {
            try await producer.partitionCount(topic: topic, timeout: .seconds(1))
        }
        #expect(clock.now - start < .seconds(5), "the request gave up near its timeout")
        broker.resume()
        #expect(await eventually(timeout: .seconds(30)) { (try? await producer.partitionCount(topic: topic)) == 2 })
    }

    @Test func afterShutdownTheProducerSaysSo() async throws {
        let environment = try TestEnvironment.current()
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        _ = try await producer.partitionCount(topic: "any")
        await producer.shutdown()
        await #expect { try await producer.partitionCount(topic: "any") } throws: { error in
            (error as? KafkaError)?.name == "_DESTROY"
        }
    }
}
