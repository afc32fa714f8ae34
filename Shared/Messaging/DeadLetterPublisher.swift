import Contracts
import Foundation
import Kafka
import Logging

/// Sends messages a consumer cannot process to `<topic>.dlq`, with the original key, value and headers
/// plus headers saying why and where the message came from.
///
/// The headers are what a dead-letter tool lists, shows and replays by: the original topic, partition and offset,
/// the consumer group that gave up, a stable reason code (``DeadLetterReason``), the reason in words and when.
public struct DeadLetterPublisher: Sendable {
    public static let reasonHeader = "dlq_reason"
    public static let reasonCodeHeader = "dlq_reason_code"
    public static let topicHeader = "dlq_original_topic"
    public static let partitionHeader = "dlq_original_partition"
    public static let offsetHeader = "dlq_original_offset"
    public static let groupHeader = "dlq_consumer_group"
    public static let timeHeader = "dlq_failed_at"

    private let producer: KafkaProducer
    private let logger: Logger
    /// How many times one `publish` tries before it gives up and throws.
    private let maxAttempts: Int

    public init(producer: KafkaProducer, maxAttempts: Int = 3, logger: Logger) {
        self.producer = producer
        self.maxAttempts = max(1, maxAttempts)
        self.logger = logger
    }

    public static func topic(for topic: String) -> String { Topic.deadLetterName(of: topic) }

    /// Publishes and waits for the broker's acknowledgement, trying a few times with back-off.
    ///
    /// - Throws: the last ``KafkaError`` when every attempt failed (the topic is missing, the broker is away):
    ///   the caller keeps the message and must not move past it, since a dead letter is never dropped silently.
    public func publish(
        _ message: KafkaMessage, reason: DeadLetterReason, detail: String, consumerGroup: String
    ) async throws(KafkaError) {
        var headers = message.headers.filter { !$0.key.hasPrefix("dlq_") }
        headers += [
            KafkaHeader(key: Self.reasonHeader, string: detail),
            KafkaHeader(key: Self.reasonCodeHeader, string: reason.rawValue),
            KafkaHeader(key: Self.topicHeader, string: message.topic),
            KafkaHeader(key: Self.partitionHeader, string: String(message.partition)),
            KafkaHeader(key: Self.offsetHeader, string: String(message.offset)),
            KafkaHeader(key: Self.groupHeader, string: consumerGroup),
            KafkaHeader(key: Self.timeHeader, string: ISO8601DateFormatter().string(from: Date())),
        ]
        let record = KafkaProducerRecord(
            topic: Self.topic(for: message.topic), key: message.key, value: message.value, headers: headers)
        var backoff: Duration = .milliseconds(100)
        var attempt = 0
        while true {
            attempt += 1
            do {
                _ = try await producer.send(record)
                return
            } catch {
                logger.warning("dead-letter publish failed", metadata: [
                    "kafka.topic": "\(record.topic)", "error": "\(error)", "dlq.attempt": "\(attempt)",
                ])
                if attempt >= maxAttempts { throw error }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}

/// Why a message went to the dead-letter topic: the stable code in the `dlq_reason_code` header.
public enum DeadLetterReason: String, Sendable, CaseIterable {
    /// The record is not a CloudEvent in binary content mode (an attribute is missing or malformed).
    case notACloudEvent = "not-a-cloudevent"
    /// The event type is in neither the contract nor the platform catalogue.
    case unknownEventType = "unknown-event-type"
    /// `ce_source` is not the service that owns the event type's topic: only the owner publishes there.
    case unexpectedSource = "unexpected-source"
    /// The handler refused the event for good (``PermanentEventError``), e.g. its payload does not decode.
    case rejected = "rejected"
    /// The handler kept failing on a healthy database.
    case handlerFailed = "handler-failed"
}
