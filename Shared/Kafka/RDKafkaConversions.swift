import CLibRDKafka
import Foundation

extension KafkaTopicPartition {
    /// The topic partitions of a librdkafka list.
    static func array(from list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaTopicPartition] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            KafkaTopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
        }
    }
}

/// Topic names by librdkafka topic handle: the polling thread makes one `String` per topic, not one per message.
struct TopicNameCache {
    private var names: [OpaquePointer: String] = [:]

    /// The name of `rkt`; a cached name is checked against the handle's (a handle's address may be reused).
    mutating func name(of rkt: OpaquePointer) -> String {
        let cName = rd_kafka_topic_name(rkt)!
        if var cached = names[rkt] {
            let same = cached.withUTF8 { utf8 in
                strlen(cName) == utf8.count && memcmp(cName, utf8.baseAddress!, utf8.count) == 0
            }
            if same { return cached }
        }
        let name = String(cString: cName)
        if names.count > 1_000 { names.removeAll() }
        names[rkt] = name
        return name
    }
}

extension KafkaMessage {
    /// Copies a consumed librdkafka message (which the caller still owns and destroys), taking its topic's name
    /// from `topicNames`.
    init(copying message: UnsafePointer<rd_kafka_message_t>, topicNames: inout TopicNameCache) {
        let raw = message.pointee
        let key = raw.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        let value = raw.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        var headers = PackedHeaders()
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            let count = rd_kafka_header_cnt(list)
            headers.entries.reserveCapacity(count)
            headers.bytes.reserveCapacity(count * 48)
            for index in 0..<count {
                var name: UnsafePointer<CChar>?
                var bytes: UnsafeRawPointer?
                var size = 0
                guard rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                    let name
                else { continue }
                headers.append(name: name, value: bytes.map { UnsafeRawBufferPointer(start: $0, count: size) })
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topicNames.name(of: raw.rkt),
            partition: raw.partition,
            offset: raw.offset,
            key: key,
            value: value,
            headerStorage: .packed(headers),
            timestamp: milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
        )
    }
}
