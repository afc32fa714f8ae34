import Kafka
import Logging
import Synchronization
import TestSupport

/// The running broker's settings, as a client configuration with the development timeouts.
func testConfiguration(_ environment: TestEnvironment, properties: [String: String] = [:]) -> KafkaConfiguration {
    KafkaConfiguration(
        bootstrapServers: environment.kafkaBrokers,
        clientID: "kafka-tests",
        sessionTimeoutMs: environment.kafkaSessionTimeoutMs,
        fetchWaitMaxMs: environment.kafkaFetchWaitMaxMs,
        properties: properties
    )
}

let testLogger: Logger = {
    var logger = Logger(label: "kafka-tests")
    logger.logLevel = .warning
    return logger
}()

/// Creates a fresh topic with a unique name and returns the name.
func makeTopic(
    _ environment: TestEnvironment, prefix: String = "kafka_test", partitions: Int = 1
) async throws -> String {
    let name = uniqueName(prefix)
    let admin = KafkaAdmin(configuration: testConfiguration(environment), logger: testLogger)
    try await admin.createTopics([KafkaTopicSpecification(name: name, partitions: partitions)])
    return name
}

/// Records `count` records on `topic` with values `"\(prefix)-\(index)"` and keys `"key-\(index % keys)"`.
func produce(
    _ producer: KafkaProducer, topic: String, count: Int, keys: Int = 10, prefix: String = "m"
) async throws -> [KafkaDeliveryReport] {
    let records = (0..<count).map { index in
        KafkaProducerRecord(
            topic: topic, key: Array("key-\(index % keys)".utf8), value: Array("\(prefix)-\(index)".utf8))
    }
    return try await producer.send(records).map { try $0.get() }
}

/// Reads until `count` messages arrived or `timeout` passed; stores each message's offset when `store` is set.
func collect(
    _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(60), store: Bool = true
) async -> [KafkaMessage] {
    await withTaskGroup(of: [KafkaMessage]?.self) { group in
        group.addTask {
            var messages: [KafkaMessage] = []
            guard count > 0 else { return messages }
            for await message in consumer.messages {
                messages.append(message)
                if store { try? consumer.storeOffset(message) }
                if messages.count >= count { break }
            }
            return messages
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        var result: [KafkaMessage] = []
        while let next = await group.next() {
            if let messages = next {
                result = messages
                group.cancelAll()
            } else {
                group.cancelAll()
            }
        }
        return result
    }
}

/// Thread-safe bag for what several consumer tasks receive.
final class Received: Sendable {
    private let values = Mutex<[String: Int]>([:])

    func add(_ message: KafkaMessage) {
        let value = String(decoding: message.value, as: UTF8.self)
        values.withLock { $0[value, default: 0] += 1 }
    }

    var distinct: Set<String> { values.withLock { Set($0.keys) } }
}

extension KafkaMessage {
    var text: String { String(decoding: value, as: UTF8.self) }
}
