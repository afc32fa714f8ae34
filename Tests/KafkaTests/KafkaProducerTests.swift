import Foundation
import Kafka
import TestSupport
import Testing

@Suite("Kafka producer")
struct KafkaProducerTests {
    @Test func roundTripKeepsKeyValueAndHeadersAndReportsWhereTheRecordWent() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, partitions: 3)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let record = KafkaProducerRecord(
            topic: topic,
            key: Array("claim-42".utf8),
            value: Array(#"{"amountFen":12345,"名称":"保温"}"#.utf8),
            headers: [
                KafkaHeader(key: "ce_type", string: "gbm.subsidy.claim.approved.v1"),
                KafkaHeader(key: "ce_id", string: "0f8c"),
                KafkaHeader(key: "binary", value: [0, 1, 2, 255]),
                KafkaHeader(key: "empty", value: []),
                KafkaHeader(key: "absent", value: nil),
            ]
        )
        let report = try await producer.send(record)
        #expect(report.topic == topic)
        #expect((0..<3).contains(report.partition))
        #expect(report.offset == 0)

        let consumer = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: uniqueName("group"), topics: [topic],
            logger: testLogger)
        let messages = await collect(consumer, count: 1)
        await consumer.close()
        await producer.shutdown()

        let message = try #require(messages.first)
        #expect(message.topic == topic)
        #expect(message.partition == report.partition)
        #expect(message.offset == report.offset)
        #expect(message.key == record.key)
        #expect(message.value == record.value)
        #expect(message.headers == record.headers)
        #expect(message.headerString("ce_type") == "gbm.subsidy.claim.approved.v1")
        #expect(message.header("binary") == [0, 1, 2, 255])
        #expect(message.header("absent") == nil)
        #expect(message.headerString("missing") == nil)
        let timestamp = try #require(message.timestamp)
        #expect(abs(timestamp.timeIntervalSinceNow) < 120)
    }

    @Test func aRecordRefusedAsTooLargeHoldsBackTheLaterRecordsOfItsKeyButNotOthers() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, partitions: 2)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        defer { Task { await producer.shutdown() } }
        func record(_ key: String, size: Int = 10) -> KafkaProducerRecord {
            KafkaProducerRecord(topic: topic, key: Array(key.utf8), value: Array(repeating: 0x61, count: size))
        }
        let results = await producer.send([
            record("a"), record("b", size: 1_100_000), record("a"), record("b"), record("c"),
        ])
        let outcomes = results.map { result -> String in
            switch result {
            case .success: "sent"
            case .failure(let error): error.isRecordRejected ? "rejected" : "held back"
            }
        }
        #expect(outcomes == ["sent", "rejected", "sent", "held back", "sent"])
        if case .failure(let error) = results[3] {
            #expect(error.isRetriable && !error.isFatal, "held back, not refused: \(error)")
        }
    }

    @Test func batchOfTenThousandRecordsIsAcknowledgedInOrderPerKey() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, partitions: 4)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let count = 10_000
        let started = ContinuousClock.now
        let reports = try await produce(producer, topic: topic, count: count, keys: 10)
        let elapsed = ContinuousClock.now - started
        await producer.shutdown()

        #expect(reports.count == count)
        print("batch send of \(count) records took \(elapsed)")
        for key in 0..<10 {
            let ofKey = stride(from: key, to: count, by: 10).map { reports[$0] }
            #expect(Set(ofKey.map(\.partition)).count == 1, "key-\(key) stays in one partition")
            let offsets = ofKey.map(\.offset)
            #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 }, "key-\(key) offsets increase")
        }
        let perPartition = Dictionary(grouping: reports, by: \.partition)
        for (_, inPartition) in perPartition {
            #expect(Set(inPartition.map(\.offset)).count == inPartition.count, "no offset is reported twice")
        }
    }

    @Test func oneBatchToTwoTopicsDeliversEveryRecordsOwnValueToItsTopic() async throws {
        // librdkafka reads the values from the records' own storage until their reports: each must arrive whole.
        let environment = try TestEnvironment.current()
        let first = try await makeTopic(environment, partitions: 2)
        let second = try await makeTopic(environment, partitions: 2)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let records = (0..<2_000).map { i in
            KafkaProducerRecord(
                topic: i % 2 == 0 ? first : second, key: Array("key-\(i)".utf8),
                value: i % 100 == 0 ? [] : Array("value-\(i)-".utf8) + Array(repeating: UInt8(i % 251), count: i % 700))
        }
        let results = await producer.send(records)
        #expect(results.allDelivered)
        #expect(results.map { try? $0.get().topic } == records.map(\.topic))
        let consumer = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: uniqueName("group"), topics: [first, second],
            logger: testLogger)
        let messages = await collect(consumer, count: records.count)
        await consumer.close()
        await producer.shutdown()
        #expect(messages.count == records.count)
        let sent = Dictionary(uniqueKeysWithValues: records.map { (String(decoding: $0.key!, as: UTF8.self), $0) })
        for message in messages {
            let record = try #require(sent[String(decoding: message.key ?? [], as: UTF8.self)])
            #expect(message.topic == record.topic)
            #expect(message.value == record.value)
        }
    }

    /// Once the producer knows a topic does not exist, librdkafka refuses a record to it at once, in its
    /// partitioner. With headers passed as RD_KAFKA_VTYPE_HEADER, librdkafka 2.8.0 then freed its header list twice
    /// (the message's destruction, then produceva's own clean-up): heap corruption, and the test process crashed in
    /// rd_list_destroy_elems. Each record must fail with an error, and the producer go on working.
    @Test func recordsWithHeadersToATopicKnownNotToExistFailCleanly() async throws {
        let environment = try TestEnvironment.current()
        // A missing topic is given up on after a second, not librdkafka's 30.
        let producer = try KafkaProducer(
            configuration: testConfiguration(environment, properties: ["topic.metadata.propagation.max.ms": "1000"]),
            logger: testLogger)
        defer { Task { await producer.shutdown() } }
        let absent = uniqueName("absent")
        func record(_ index: Int) -> KafkaProducerRecord {
            KafkaProducerRecord(
                topic: absent, key: Array("k\(index)".utf8), value: Array("v\(index)".utf8),
                headers: [KafkaHeader(key: "ce_id", string: "e-\(index)"), KafkaHeader(key: "empty", value: nil)])
        }
        // The first record waits for the topic's metadata and fails with it; from then on the topic is known absent.
        await #expect(throws: KafkaError.self) { try await producer.send(record(0)) }
        for round in 1...20 {
            let results = await producer.send((0..<50).map { record(round * 100 + $0) })
            #expect(results.allSatisfy { if case .failure = $0 { true } else { false } })
        }
        let topic = try await makeTopic(environment)
        let report = try await producer.send(KafkaProducerRecord(
            topic: topic, key: nil, value: Array("still working".utf8), headers: [KafkaHeader(key: "h", string: "v")]))
        #expect(report.topic == topic)
    }

    @Test func sendAfterShutdownFailsAndShutdownIsIdempotent() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        _ = try await producer.send(KafkaProducerRecord(topic: topic, key: nil, value: Array("before".utf8)))
        try await producer.flush(timeout: .seconds(5))
        async let first: Void = producer.shutdown()
        async let second: Void = producer.shutdown()
        _ = await (first, second)
        await producer.shutdown()

        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerRecord(topic: topic, key: nil, value: Array("after".utf8)))
        }
        #expect(error?.name == "_DESTROY")
        await #expect(throws: KafkaError.self) { try await producer.flush(timeout: .seconds(1)) }
    }
}
