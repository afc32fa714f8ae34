import Foundation

/// A CloudEvents 1.0 event as it travels on a topic: the envelope attributes and the JSON payload bytes.
///
/// On Kafka it uses the protocol binding's binary content mode: the attributes are `ce_*` record headers, the
/// payload is the record value, the record key is the aggregate id (`partitionKey`). See `CloudEvent+Kafka.swift`.
public struct CloudEvent: Sendable, Equatable {
    /// `ce_id`: unique per `source`; consumers deduplicate on (`source`, `id`).
    public var id: String
    /// `ce_source`: the producing service, `/gbm/<service>`.
    public var source: String
    /// `ce_type`: the event type name, `gbm.<service>.<aggregate>.<verb>.v<major>`.
    public var type: String
    /// `ce_specversion`: always `1.0`.
    public var specVersion: String
    /// `ce_time`: when the change happened, kept to the millisecond (the precision of the header).
    public var time: Date
    /// `ce_subject`: the aggregate id, the same as the record key.
    public var subject: String?
    /// `content-type`: `application/json`.
    public var dataContentType: String
    /// The payload: JSON encoded with `ContractJSON`.
    public var data: [UInt8]
    /// The distributed-tracing extension (`ce_traceparent`, `ce_tracestate`): the trace of the work that caused
    /// the event, when it was traced.
    public var trace: TraceContext?

    public static let specVersion = "1.0"
    public static let jsonContentType = "application/json"

    /// An event from its attributes; `time` is rounded to the millisecond.
    public init(
        id: String, source: String, type: String, specVersion: String = CloudEvent.specVersion, time: Date,
        subject: String?, dataContentType: String = CloudEvent.jsonContentType, data: [UInt8],
        trace: TraceContext? = nil
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.specVersion = specVersion
        self.time = InternetDateTime.roundedToMilliseconds(time)
        self.subject = subject
        self.dataContentType = dataContentType
        self.data = data
        self.trace = trace
    }

    /// Wraps a payload: `type` is the payload's event type, `subject` its aggregate id, `data` its JSON.
    public init<P: EventPayload>(
        source: String, payload: P, id: String = UUID().uuidString.lowercased(), time: Date = Date()
    ) throws {
        self.init(
            id: id, source: source, type: P.eventType.name, time: time, subject: payload.aggregateID,
            data: try ContractJSON.encode(payload))
    }

    /// Wraps a payload with the owning service's source (`/gbm/<owner of the topic>`).
    public init<P: EventPayload>(payload: P, id: String = UUID().uuidString.lowercased(), time: Date = Date()) throws {
        try self.init(source: P.eventType.topic.owner.eventSource, payload: payload, id: id, time: time)
    }

    /// The payload, after checking that this event is of `P`'s type and carries JSON.
    public func decode<P: EventPayload>(_ type: P.Type) throws -> P {
        guard self.type == P.eventType.name else {
            throw CloudEventDecodingError(reason: "event type '\(self.type)' is not '\(P.eventType.name)'")
        }
        guard dataContentType.hasPrefix(CloudEvent.jsonContentType) else {
            throw CloudEventDecodingError(reason: "content-type '\(dataContentType)' is not \(CloudEvent.jsonContentType)")
        }
        return try ContractJSON.decode(P.self, from: data)
    }

    /// The Kafka record key: the aggregate id, so that all events of one aggregate stay in order on one partition.
    public var partitionKey: String { subject ?? id }

    /// The catalogue entry for this event's type, if it is a known one.
    public var eventType: EventType? { EventCatalogue.eventType(named: type) }
}
