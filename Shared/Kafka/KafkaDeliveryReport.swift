/// Where the broker stored an acknowledged record.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The topic the record was written to.
    public var topic: String
    /// The partition the record was written to.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64

    /// Creates a delivery report (useful for test doubles of a producer).
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}

/// The outcome of each record of one batch `KafkaProducer.send(_:)`, in record order.
///
/// A collection computed from flat arrays of partitions and offsets: a batch of thousands of records does not
/// build thousands of reports (each holding its topic) unless the caller reads them.
public struct KafkaDeliveryResults: RandomAccessCollection, Sendable {
    let records: [KafkaProducerRecord]
    let outcomes: DeliveryBatch.Outcomes

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(index: Int) -> Result<KafkaDeliveryReport, KafkaError> {
        switch outcomes[index] {
        case .delivered(let partition, let offset):
            .success(KafkaDeliveryReport(topic: records[index].topic, partition: partition, offset: offset))
        case .failed(let error):
            .failure(error)
        }
    }

    /// Whether the broker acknowledged every record.
    public var allDelivered: Bool { outcomes.failures.isEmpty }
}
