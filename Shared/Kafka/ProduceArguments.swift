import CLibRDKafka

/// The `rd_kafka_vu_t` argument list for `rd_kafka_produceva` (Swift cannot call the varargs `producev`).
///
/// Key and headers are laid out in one reusable byte buffer so that a batch of thousands of records allocates
/// almost nothing per record; librdkafka copies them. The topic is a handle the producer keeps per topic.
///
/// Headers go in as one `rd_kafka_headers_t` this code builds (`RD_KAFKA_VTYPE_HEADERS`), not one
/// `RD_KAFKA_VTYPE_HEADER` each: with the latter, librdkafka 2.8.0 frees its own header list twice when its
/// partitioner refuses the record (a topic it knows does not exist), corrupting the heap. With the list ours, the
/// message takes it on success and leaves it to us on failure, which destroys it once.
///
/// The value is not copied (no `RD_KAFKA_MSG_F_COPY`): librdkafka points at the record's own storage until the
/// record's delivery report. That is safe because `KafkaProducer.send` holds the records, unchanged, until every
/// record has its report, or until the handle is destroyed (which releases what librdkafka still held).
struct ProduceArguments {
    enum Outcome {
        case enqueued
        case queueFull
        case failed(KafkaError)
    }

    private var bytes: [UInt8] = []
    private var vus: [rd_kafka_vu_t] = []
    private var key: Range<Int>?
    private var headers: [(name: Int, value: Range<Int>?)] = []

    /// What an empty value points at: empty, not null (a tombstone). Never written to and never freed, so it may
    /// be shared.
    nonisolated(unsafe) private static let emptyValue = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Lays out `record`'s key and headers.
    private mutating func prepare(_ record: KafkaProducerRecord) {
        bytes.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        key = record.key.map { append($0) }
        for header in record.headers {
            let name = bytes.count
            bytes.append(contentsOf: header.key.utf8)
            bytes.append(0)
            headers.append((name, header.value.map { append($0) }))
        }
        // Keeps every pointer, even an empty part's at the end, inside the buffer.
        bytes.append(0)
    }

    private mutating func append(_ part: [UInt8]) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: part)
        return start..<bytes.count
    }

    /// Enqueues `record` on `rk`, to the topic of handle `topic`, with `opaque` as its per-message opaque.
    mutating func produce(
        _ record: KafkaProducerRecord, on rk: OpaquePointer, topic: OpaquePointer, opaque: UnsafeMutableRawPointer
    ) -> Outcome {
        prepare(record)
        var vus = self.vus
        self.vus = []
        defer { self.vus = vus }
        vus.removeAll(keepingCapacity: true)
        let error: OpaquePointer? = record.value.withUnsafeBytes { value in bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            func pointer(_ offset: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(mutating: base + offset) }
            let valuePointer = value.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? Self.emptyValue

            var topicEntry = rd_kafka_vu_t()
            topicEntry.vtype = RD_KAFKA_VTYPE_RKT
            topicEntry.u.rkt = topic
            vus.append(topicEntry)
            if let key {
                var entry = rd_kafka_vu_t()
                entry.vtype = RD_KAFKA_VTYPE_KEY
                entry.u.mem.ptr = pointer(key.lowerBound)
                entry.u.mem.size = key.count
                vus.append(entry)
            }
            var valueEntry = rd_kafka_vu_t()
            valueEntry.vtype = RD_KAFKA_VTYPE_VALUE
            valueEntry.u.mem.ptr = valuePointer
            valueEntry.u.mem.size = value.count
            vus.append(valueEntry)
            var list: OpaquePointer?
            if !headers.isEmpty {
                list = rd_kafka_headers_new(headers.count)
                for header in headers {
                    let name = UnsafePointer(pointer(header.name).assumingMemoryBound(to: CChar.self))
                    if let range = header.value {
                        rd_kafka_header_add(list, name, -1, UnsafeRawPointer(pointer(range.lowerBound)), range.count)
                    } else {
                        rd_kafka_header_add(list, name, -1, nil, 0)
                    }
                }
                var entry = rd_kafka_vu_t()
                entry.vtype = RD_KAFKA_VTYPE_HEADERS
                entry.u.headers = list
                vus.append(entry)
            }
            var opaqueEntry = rd_kafka_vu_t()
            opaqueEntry.vtype = RD_KAFKA_VTYPE_OPAQUE
            opaqueEntry.u.ptr = opaque
            vus.append(opaqueEntry)
            let error = vus.withUnsafeBufferPointer { rd_kafka_produceva(rk, $0.baseAddress, $0.count) }
            // On failure the headers are still the application's.
            if error != nil, let list { rd_kafka_headers_destroy(list) }
            return error
        } }
        guard let error else { return .enqueued }
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return .queueFull
        }
        return .failed(KafkaError(consuming: error))
    }
}
