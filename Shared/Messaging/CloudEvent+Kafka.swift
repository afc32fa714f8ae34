import Contracts
import Kafka

extension KafkaProducerRecord {
    /// A CloudEvent in the Kafka protocol binding's binary content mode: attributes as `ce_*` headers, the
    /// JSON payload as the record value, the aggregate id as the record key.
    public init(event: CloudEvent, topic: String) {
        self.init(
            topic: topic,
            key: Array(event.partitionKey.utf8),
            value: event.data,
            headers: event.kafkaHeaders.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

extension CloudEvent {
    /// Reads a CloudEvent from a record in binary content mode; the error says which attribute is wrong.
    public init(message: KafkaMessage) throws(CloudEventDecodingError) {
        try self.init(kafkaHeaders: message.headers.map { (key: $0.key, value: $0.value) }, value: message.value)
    }
}
