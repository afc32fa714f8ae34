import Foundation
import Kafka
import TestSupport
import Testing

/// Reading a topic by offset without a consumer group: what an operator's tool does to a dead-letter topic.
@Suite("Kafka topic reader")
struct KafkaTopicReaderTests {
    @Test func readsEachPartitionFromAnOffsetToItsEndWithKeysAndHeadersAndJoinsNoGroup() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, prefix: "reader", partitions: 2)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        defer { Task { await producer.shutdown() } }
        // Partition by explicit key choice is up to the partitioner: record where each went.
        var sent: [KafkaDeliveryReport] = []
        for index in 0..<10 {
            sent.append(try await producer.send(KafkaProducerRecord(
                topic: topic, key: Array("k\(index % 3)".utf8), value: Array("v\(index)".utf8),
                headers: [KafkaHeader(key: "n", string: String(index)), KafkaHeader(key: "empty", value: nil)])))
        }
        let reader = KafkaTopicReader(configuration: testConfiguration(environment), logger: testLogger)
        let marks = try await reader.watermarks(topic: topic)
        #expect(marks.map(\.partition) == [0, 1])
        #expect(marks.map { $0.high - $0.low }.reduce(0, +) == 10)

        let all = try await reader.read(topic: topic)
        #expect(all.count == 10)
        #expect(all.map(\.partition) == all.map(\.partition).sorted(), "partition order")
        for partition in [Int32(0), 1] {
            let mine = all.filter { $0.partition == partition }
            #expect(mine.map(\.offset) == sent.filter { $0.partition == partition }.map(\.offset).sorted())
        }
        let first = try #require(all.first)
        let index = Int(first.headerString("n") ?? "") ?? -1
        #expect(first.text == "v\(index)")
        #expect(first.key == Array("k\(index % 3)".utf8))
        #expect(first.headers.contains(KafkaHeader(key: "empty", value: nil)))

        // From an offset, up to an offset, a limit, one partition.
        let busiest = try #require(marks.max { ($0.high - $0.low) < ($1.high - $1.low) })
        let tail = try await reader.read(topic: topic, partitions: [busiest.partition], from: busiest.low + 1)
        #expect(tail.map(\.offset) == Array((busiest.low + 1)..<busiest.high))
        let head = try await reader.read(topic: topic, partitions: [busiest.partition], upTo: busiest.low + 2)
        #expect(head.map(\.offset) == [busiest.low, busiest.low + 1])
        let limited = try await reader.read(topic: topic, partitions: [busiest.partition], limit: 1)
        #expect(limited.map(\.offset) == [busiest.low])
        #expect(try await reader.read(topic: topic, from: 1_000).isEmpty, "nothing past the end")
    }

    @Test func aMissingTopicOrPartitionIsAnErrorNotAnEmptyAnswer() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, prefix: "reader", partitions: 1)
        let reader = KafkaTopicReader(configuration: testConfiguration(environment), logger: testLogger)
        await #expect { try await reader.read(topic: uniqueName("absent")) } throws: { error in
            (error as? KafkaError)?.name == "UNKNOWN_TOPIC_OR_PART"
        }
        await #expect { try await reader.read(topic: topic, partitions: [3]) } throws: { error in
            (error as? KafkaError)?.name == "_UNKNOWN_PARTITION"
        }
        #expect(try await reader.read(topic: topic).isEmpty, "an empty topic is no error")
    }
}
