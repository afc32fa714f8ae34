/// A W3C trace context (`traceparent` and `tracestate`, https://www.w3.org/TR/trace-context/) as it travels with
/// an event: from the HTTP request that caused it, through the outbox row, into the Kafka record (the CloudEvents
/// distributed-tracing extension: `ce_traceparent`, `ce_tracestate`) and into the consuming service's handler.
///
/// ``current`` is the context of the work in hand: the HTTP tracing middleware and the event consumer set it, the
/// outbox stores it with every event appended, and log lines carry its ids. It is nil when tracing is off.
public struct TraceContext: Sendable, Equatable {
    /// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
    public var traceparent: String
    /// Vendor data, passed on as it came (at most 512 characters are kept, as the specification allows).
    public var tracestate: String?

    @TaskLocal public static var current: TraceContext?

    /// A context from header values; nil when `traceparent` is not a valid version-00 value (the specification
    /// says to ignore such a header, not to refuse the request or the event).
    public init?(traceparent: String?, tracestate: String? = nil) {
        guard let traceparent, Self.isValid(traceparent) else { return nil }
        self.traceparent = traceparent
        self.tracestate = tracestate.flatMap { state in
            let trimmed = state.trimmingASCIIWhitespace
            return trimmed.isEmpty || trimmed.utf8.count > 512 ? nil : trimmed
        }
    }

    /// The 32-character trace id.
    public var traceID: Substring { traceparent.dropFirst(3).prefix(32) }
    /// The 16-character id of the span that this context names as parent.
    public var spanID: Substring { traceparent.dropFirst(36).prefix(16) }

    /// Whether `value` is `00-` + 32 lowercase hex (not all zero) + `-` + 16 lowercase hex (not all zero) + `-` + 2
    /// lowercase hex.
    public static func isValid(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 55, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
              bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-")
        else { return false }
        func isHex(_ range: Range<Int>) -> Bool {
            bytes[range].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        }
        func isZero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == UInt8(ascii: "0") } }
        return isHex(3..<35) && isHex(36..<52) && isHex(53..<55) && !isZero(3..<35) && !isZero(36..<52)
    }
}

extension String {
    fileprivate var trimmingASCIIWhitespace: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
