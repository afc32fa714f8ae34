import Contracts
import Tracing

/// Spans for the work a service does, on the tracer the host made (swift-otel's when `GBM_TRACING=otlp`), with the
/// W3C trace context handed on through ``TraceContext/current``: whatever the body appends to the outbox carries the
/// span's context into its Kafka records, and the consuming service's span continues the same trace.
///
/// A host without tracing has no `Traces` at all (nil), so an untraced service does no tracing work.
public struct Traces: Sendable {
    public let tracer: any Tracer

    public init(tracer: any Tracer) { self.tracer = tracer }

    /// Runs `body` in a new span named `name`, a child of `parent` (or a new trace without one), with
    /// ``TraceContext/current`` set to the span's context; an error the body throws is recorded on the span.
    public func withSpan<T>(
        _ name: String, kind: SpanKind, parent: TraceContext?, attributes: SpanAttributes = [:],
        _ body: (any Span) async throws -> T
    ) async throws -> T {
        var context = InstrumentationContext.topLevel
        if let parent {
            tracer.extract(parent.headers, into: &context, using: TraceHeaders())
        }
        let span = tracer.startSpan(name, context: context, ofKind: kind)
        defer { span.end() }
        if !attributes.isEmpty { span.attributes.merge(attributes) }
        var carrier: [String: String] = [:]
        tracer.inject(span.context, into: &carrier, using: TraceHeaders())
        do {
            let current = TraceContext(traceparent: carrier["traceparent"], tracestate: carrier["tracestate"])
            return try await TraceContext.$current.withValue(current) { try await body(span) }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// Handles a consumed event in a consumer span that continues the event's trace (its `ce_traceparent`).
    func consuming<T>(_ event: CloudEvent, topic: String, partition: Int32, offset: Int64, group: String,
                      _ body: () async throws -> T) async throws -> T {
        try await withSpan("\(event.type) process", kind: .consumer, parent: event.trace, attributes: [
            "messaging.system": "kafka", "messaging.operation.type": "process",
            "messaging.destination.name": .string(topic), "messaging.destination.partition.id": .string(String(partition)),
            "messaging.kafka.offset": .int64(offset), "messaging.consumer.group.name": .string(group),
            "messaging.message.id": .string(event.id), "cloudevents.event_type": .string(event.type),
            "cloudevents.event_source": .string(event.source),
        ]) { _ in try await body() }
    }
}

extension TraceContext {
    /// The W3C header names and values.
    var headers: [String: String] {
        var headers = ["traceparent": traceparent]
        if let tracestate { headers["tracestate"] = tracestate }
        return headers
    }
}

/// Reads and writes the W3C headers of a dictionary carrier.
struct TraceHeaders: Extractor, Injector {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
