import Contracts
import Foundation
import Logging

/// Writes log lines to standard error in `StreamLogHandler`'s format (`time level label: key=value … [source]
/// message`), or as one JSON object a line for a log collector (`GBM_LOG_FORMAT=json`), rendering the metadata when
/// a line is written rather than whenever it changes.
///
/// `StreamLogHandler` re-renders its metadata on every change, and every request changes it (Hummingbird's
/// request id, then ours): a visible share of a short request's CPU time, for lines that below `info` are
/// rarely written at all.
public struct ServiceLogHandler: LogHandler {
    /// How a line is written.
    public enum Format: String, Sendable, CaseIterable {
        /// `2023-03-01T08:00:00+0800 info gbm.catalogue: request.id=… [ServiceKit] message`, for people.
        case text
        /// `{"time":"2023-03-01T00:00:00.123Z","level":"info","logger":"gbm.catalogue","source":"ServiceKit",
        /// "message":"…","metadata":{"request.id":"…"}}`, one object a line, for collectors (Loki, Elasticsearch…).
        case json
    }

    private let label: String
    public var format: Format = .text
    private let write: @Sendable (String) -> Void
    public var logLevel: Logger.Level = .info
    public var metadata = Logger.Metadata()
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler writing each line to `write` (standard error unless given).
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        // The trace of the work in hand (an HTTP request's server span, an event's consumer span), when traced.
        let trace = TraceContext.current
        if let trace {
            merged["trace_id"] = "\(trace.traceID)"
            merged["span_id"] = "\(trace.spanID)"
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        switch format {
        case .text:
            let rendered = merged.isEmpty
                ? ""
                : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            write("\(Self.timestamp()) \(event.level) \(label):\(rendered) [\(event.source)] \(event.message)\n")
        case .json:
            var line = "{\"time\":\(JSONValue.quoted(Self.utcTimestamp()))"
            line += ",\"level\":\(JSONValue.quoted(event.level.rawValue)),\"logger\":\(JSONValue.quoted(label))"
            line += ",\"source\":\(JSONValue.quoted(event.source))"
            line += ",\"message\":\(JSONValue.quoted("\(event.message)"))"
            if !merged.isEmpty {
                line += ",\"metadata\":{" + merged.sorted { $0.key < $1.key }
                    .map { "\(JSONValue.quoted($0.key)):\(JSONValue.quoted("\($0.value)"))" }.joined(separator: ",") + "}"
            }
            write(line + "}\n")
        }
    }

    /// The time in UTC with milliseconds (`2023-03-01T00:00:00.123Z`), as collectors parse it.
    private static func utcTimestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var utc = tm()
        gmtime_r(&seconds, &utc)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &utc)
        let base = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = now.tv_nsec / 1_000_000
        return base + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + "\(millis)Z"
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        localtime_r(&now, &local)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
