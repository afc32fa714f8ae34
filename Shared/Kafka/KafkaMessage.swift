import Foundation

/// A record received by a ``KafkaConsumer``.
public struct KafkaMessage: Sendable {
    /// The topic the record came from.
    public var topic: String
    /// The partition the record came from.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// The record key, or `nil` if it had none.
    public var key: [UInt8]?
    /// The record payload (empty for a record without a value).
    public var value: [UInt8]
    /// The record headers, in order.
    public var headers: [KafkaHeader] {
        get { headerStorage.headers }
        set { headerStorage = .headers(newValue) }
    }
    /// The record timestamp (create or log-append time), if the broker reported one.
    public var timestamp: Date?
    /// Received headers stay packed in one buffer until someone asks for them: a consumer that reads a few
    /// by name never builds the rest (ten allocations a record became four).
    var headerStorage: HeaderStorage

    /// Creates a message (useful for test doubles of a consumer).
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) {
        self.init(topic: topic, partition: partition, offset: offset, key: key, value: value,
                  headerStorage: .headers(headers), timestamp: timestamp)
    }

    init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headerStorage: HeaderStorage,
        timestamp: Date?
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headerStorage = headerStorage
        self.timestamp = timestamp
    }

    /// The value of the first header named `key`, or `nil` if there is none or it has no value.
    public func header(_ key: String) -> [UInt8]? {
        headerStorage.value(named: key).map { Array($0) }
    }

    /// The value of the first header named `key` decoded as UTF-8, or `nil` if absent or not valid UTF-8.
    public func headerString(_ key: String) -> String? {
        headerStorage.value(named: key).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Where this message sits.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }
}

/// A record's headers as received, or as set.
enum HeaderStorage: Sendable {
    case headers([KafkaHeader])
    case packed(PackedHeaders)

    var headers: [KafkaHeader] {
        switch self {
        case .headers(let headers): headers
        case .packed(let packed): packed.headers
        }
    }

    /// The value of the first header named `name`; nil when there is none or it has no value.
    func value(named name: String) -> ArraySlice<UInt8>? {
        switch self {
        case .headers(let headers): headers.first { $0.key == name }?.value.map { $0[...] }
        case .packed(let packed): packed.value(named: name)
        }
    }
}

/// Header names and values copied into one buffer, with where each lies.
struct PackedHeaders: Sendable {
    var bytes: [UInt8] = []
    var entries: [(name: Range<Int>, value: Range<Int>?)] = []

    mutating func append(name: UnsafePointer<CChar>, value: UnsafeRawBufferPointer?) {
        let nameStart = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: name, count: strlen(name)))
        let nameRange = nameStart..<bytes.count
        var valueRange: Range<Int>?
        if let value {
            let valueStart = bytes.count
            bytes.append(contentsOf: value)
            valueRange = valueStart..<bytes.count
        }
        entries.append((nameRange, valueRange))
    }

    /// The value of the first header named `name`; nil when there is none or it has no value.
    func value(named name: String) -> ArraySlice<UInt8>? {
        var name = name
        return name.withUTF8 { wanted in
            for entry in entries where entry.name.count == wanted.count
                && bytes[entry.name].elementsEqual(wanted) {
                return entry.value.map { bytes[$0] }
            }
            return nil
        }
    }

    var headers: [KafkaHeader] {
        entries.map { entry in
            KafkaHeader(key: String(decoding: bytes[entry.name], as: UTF8.self), value: entry.value.map { Array(bytes[$0]) })
        }
    }
}
