import Kafka
import TestSupport
import Testing

@Suite("Kafka errors")
struct KafkaErrorTests {
    @Test func anUnknownPropertyIsRejectedWithANamedError() throws {
        let environment = try TestEnvironment.current()
        let configuration = testConfiguration(environment, properties: ["no.such.property": "1"])
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: testLogger)
        }
        #expect(error?.name == "_INVALID_ARG")
        #expect(error?.message.contains("no.such.property") == true)
        #expect(error?.isFatal == false)

        let consumerError = #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(configuration: configuration, groupID: "g", topics: ["t"], logger: testLogger)
        }
        #expect(consumerError?.name == "_INVALID_ARG")
    }

    @Test func producingToATopicThatDoesNotExistFailsWithANamedRetriableError() async throws {
        let environment = try TestEnvironment.current()
        let configuration = testConfiguration(
            environment,
            properties: ["topic.metadata.propagation.max.ms": "1000", "message.timeout.ms": "5000"]
        )
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
        let topic = uniqueName("absent")
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerRecord(topic: topic, key: nil, value: Array("lost".utf8)))
        }
        await producer.shutdown()
        let name = try #require(error?.name)
        #expect(!name.isEmpty)
        #expect(error?.isRetriable == true)
        print("producing to a missing topic: \(error.map { "\($0)" } ?? "-")")
    }

    @Test func aRecordOverMessageMaxBytesFailsAloneWhileTheRestOfTheBatchIsDelivered() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let results = await producer.send([
            KafkaProducerRecord(topic: topic, key: nil, value: Array("small-1".utf8)),
            KafkaProducerRecord(topic: topic, key: nil, value: [UInt8](repeating: 7, count: 2_000_000)),
            KafkaProducerRecord(topic: topic, key: nil, value: Array("small-2".utf8)),
        ])
        await producer.shutdown()
        #expect(results.count == 3)
        #expect(try results[0].get().offset == 0)
        #expect(try results[2].get().offset == 1)
        guard case .failure(let error) = results[1] else {
            Issue.record("the oversized record was accepted")
            return
        }
        #expect(error.name == "MSG_SIZE_TOO_LARGE")
        #expect(!error.isRetriable)
    }

    @Test func anUnreachableBrokerTimesRecordsOutWithARetriableErrorAndShutdownStillEnds() async throws {
        let configuration = KafkaConfiguration(
            bootstrapServers: "127.0.0.1:1",
            properties: ["message.timeout.ms": "1500", "log_level": "0"]
        )
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
        let results = await producer.send([
            KafkaProducerRecord(topic: "nowhere", key: Array("k".utf8), value: Array("v".utf8)),
            KafkaProducerRecord(topic: "nowhere", key: Array("k".utf8), value: Array("w".utf8)),
        ])
        for result in results {
            guard case .failure(let error) = result else {
                Issue.record("delivered to an unreachable broker")
                continue
            }
            #expect(error.name == "_MSG_TIMED_OUT")
            #expect(error.isRetriable)
        }
        let clock = ContinuousClock()
        let started = clock.now
        await producer.shutdown(flushTimeout: .seconds(1))
        #expect(clock.now - started < .seconds(60), "shutdown gives up on undeliverable records instead of waiting for them")
    }
}
