import Foundation
import Kafka
import Logging

/// Sends messages a consumer cannot process to `<topic>.dlq`, with the original key, value and headers
/// plus headers saying why and where the message came from.
public struct DeadLetterPublisher: Sendable {
    public static let reasonHeader = "dlq_reason"
    public static let topicHeader = "dlq_original_topic"
    public static let partitionHeader = "dlq_original_partition"
    public static let offsetHeader = "dlq_original_offset"
    public static let groupHeader = "dlq_consumer_group"
    public static let timeHeader = "dlq_failed_at"

    private let producer: KafkaProducer
    private let logger: Logger

    public init(producer: KafkaProducer, logger: Logger) {
        self.producer = producer
        self.logger = logger
    }

    public static func topic(for topic: String) -> String { "\(topic).dlq" }

    /// Publishes until the broker acknowledges: a dead letter is never dropped silently.
    public func publish(_ message: KafkaMessage, reason: String, consumerGroup: String) async {
        var headers = message.headers.filter { !$0.key.hasPrefix("dlq_") }
        headers += [
            KafkaHeader(key: Self.reasonHeader, string: reason),
            KafkaHeader(key: Self.topicHeader, string: message.topic),
            KafkaHeader(key: Self.partitionHeader, string: String(message.partition)),
            KafkaHeader(key: Self.offsetHeader, string: String(message.offset)),
            KafkaHeader(key: Self.groupHeader, string: consumerGroup),
            KafkaHeader(key: Self.timeHeader, string: ISO8601DateFormatter().string(from: Date())),
        ]
        let record = KafkaProducerRecord(
            topic: Self.topic(for: message.topic), key: message.key, value: message.value, headers: headers)
        var backoff: Duration = .milliseconds(100)
        while true {
            do {
                _ = try await producer.send(record)
                return
            } catch {
                logger.error("dead-letter publish failed; retrying", metadata: [
                    "kafka.topic": "\(record.topic)", "error": "\(error)",
                ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}
