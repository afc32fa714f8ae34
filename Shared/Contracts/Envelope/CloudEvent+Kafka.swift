/// The Kafka protocol binding of CloudEvents 1.0, binary content mode.
extension CloudEvent {
    /// Header names of the binding.
    public enum KafkaHeader {
        public static let id = "ce_id"
        public static let source = "ce_source"
        public static let type = "ce_type"
        public static let specVersion = "ce_specversion"
        public static let time = "ce_time"
        public static let subject = "ce_subject"
        public static let dataSchema = "ce_dataschema"
        public static let contentType = "content-type"
        /// The distributed-tracing extension's attributes.
        public static let traceparent = "ce_traceparent"
        public static let tracestate = "ce_tracestate"
    }

    /// The `$id` of the JSON Schema of the event type `type` (`contracts/schemas/<type>.json`): the
    /// `dataschema` attribute of its events, so that a consumer finds the schema its data follows.
    public static func dataSchema(ofType type: String) -> String { "urn:gbm:event:\(type)" }

    /// The record headers, in this order: `ce_id`, `ce_source`, `ce_type`, `ce_specversion`, `ce_time`,
    /// `ce_subject` (when there is a subject), `ce_dataschema`, `content-type`, then `ce_traceparent` and
    /// `ce_tracestate` when the event was traced.
    public var kafkaHeaders: [(key: String, value: String)] {
        var headers: [(key: String, value: String)] = [
            (KafkaHeader.id, id),
            (KafkaHeader.source, source),
            (KafkaHeader.type, type),
            (KafkaHeader.specVersion, specVersion),
            (KafkaHeader.time, InternetDateTime.string(from: time)),
        ]
        if let subject { headers.append((KafkaHeader.subject, subject)) }
        headers.append((KafkaHeader.dataSchema, Self.dataSchema(ofType: type)))
        headers.append((KafkaHeader.contentType, dataContentType))
        if let trace {
            headers.append((KafkaHeader.traceparent, trace.traceparent))
            if let state = trace.tracestate { headers.append((KafkaHeader.tracestate, state)) }
        }
        return headers
    }

    /// Reads an event from a record's headers and value.
    ///
    /// `ce_id`, `ce_source`, `ce_type`, `ce_specversion` (which must be `1.0`) and `ce_time` (RFC 3339) are
    /// required; `ce_subject` is optional; `ce_dataschema` follows from the type and is not read; a missing
    /// `content-type` means `application/json`. A `ce_traceparent` that is not a valid W3C value is ignored (with its
    /// `ce_tracestate`), as the trace context specification asks. When a header repeats, the last one counts. Other
    /// headers (extensions) are ignored.
    public init(kafkaHeaders headers: [(key: String, value: [UInt8]?)], value: [UInt8]) throws(CloudEventDecodingError) {
        var latest: [String: [UInt8]?] = [:]
        for header in headers { latest[header.key] = header.value }

        func text(_ name: String, required: Bool) throws(CloudEventDecodingError) -> String? {
            guard let entry = latest[name], let bytes = entry else {
                if required { throw CloudEventDecodingError(reason: "missing \(name)") }
                return nil
            }
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw CloudEventDecodingError(reason: "\(name) is not UTF-8")
            }
            if required, string.isEmpty { throw CloudEventDecodingError(reason: "empty \(name)") }
            return string
        }

        let specVersion = try text(KafkaHeader.specVersion, required: true)!
        guard specVersion == CloudEvent.specVersion else {
            throw CloudEventDecodingError(reason: "unsupported ce_specversion '\(specVersion)' (only \(CloudEvent.specVersion))")
        }
        let id = try text(KafkaHeader.id, required: true)!
        let source = try text(KafkaHeader.source, required: true)!
        let type = try text(KafkaHeader.type, required: true)!
        let timeText = try text(KafkaHeader.time, required: true)!
        guard let time = InternetDateTime.date(from: timeText) else {
            throw CloudEventDecodingError(reason: "bad ce_time '\(timeText)': not an RFC 3339 date-time")
        }
        let subject = try text(KafkaHeader.subject, required: false)
        let contentType = try text(KafkaHeader.contentType, required: false) ?? CloudEvent.jsonContentType
        func optional(_ name: String) -> String? {
            guard let entry = latest[name], let bytes = entry else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        self.init(
            id: id, source: source, type: type, specVersion: specVersion, time: time, subject: subject,
            dataContentType: contentType, data: value,
            trace: TraceContext(traceparent: optional(KafkaHeader.traceparent), tracestate: optional(KafkaHeader.tracestate)))
    }

    /// Reads an event from headers given as strings (as `kafkaHeaders` writes them).
    public init(kafkaHeaders headers: [(key: String, value: String)], value: [UInt8]) throws(CloudEventDecodingError) {
        try self.init(kafkaHeaders: headers.map { (key: $0.key, value: Array($0.value.utf8)) }, value: value)
    }
}
