import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Messaging
import OTel
import ServiceKit
import ServiceLifecycle
import Tracing

/// Whether a service traces, and where it sends its spans.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `GBM_TRACING` | off | `off`: no spans, no trace context in records; `otlp`: spans exported over OTLP/HTTP |
/// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | unset | the collector's traces URL, used as it is (`http://collector:4318/v1/traces`) |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | `http://localhost:4318` | the collector's base URL (`/v1/traces` is appended) |
/// | `OTEL_EXPORTER_OTLP_PROTOCOL` | `http/protobuf` | `http/protobuf` or `http/json` (gRPC is not built in) |
/// | `OTEL_BSP_SCHEDULE_DELAY` | 5000 | milliseconds the batch span processor waits before it exports what it has |
/// | `OTEL_BSP_MAX_QUEUE_SIZE` | 2048 | spans waiting for export beyond this many are dropped |
///
/// swift-otel also reads the rest of the OpenTelemetry SDK variables when tracing is on (`OTEL_SERVICE_NAME`,
/// `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_EXPORTER_OTLP_HEADERS`, …); the service
/// name defaults to the executable's.
public struct TracingConfiguration: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable { case off, otlp }
    public enum ExportProtocol: String, Sendable, CaseIterable {
        case httpProtobuf = "http/protobuf"
        case httpJSON = "http/json"
    }

    public var mode: Mode
    /// The traces URL, as it is.
    public var endpoint: String
    public var exportProtocol: ExportProtocol
    public var serviceName: String
    /// How long the batch span processor waits before it exports what it has (`OTEL_BSP_SCHEDULE_DELAY`).
    public var scheduleDelay: Duration = .seconds(5)
    /// Spans waiting for export beyond this many are dropped (`OTEL_BSP_MAX_QUEUE_SIZE`).
    public var maxQueueSize = 2048

    public static let off = TracingConfiguration(
        mode: .off, endpoint: "http://localhost:4318/v1/traces", exportProtocol: .httpProtobuf, serviceName: "gbm")

    public init(mode: Mode, endpoint: String, exportProtocol: ExportProtocol, serviceName: String) {
        self.mode = mode
        self.endpoint = endpoint
        self.exportProtocol = exportProtocol
        self.serviceName = serviceName
    }

    public init(environment: EnvironmentReader, serviceName: String) throws(ConfigurationError) {
        let modeText = environment.string("GBM_TRACING", default: Mode.off.rawValue)
        guard let mode = Mode(rawValue: modeText) else {
            throw ConfigurationError(variable: "GBM_TRACING", reason: "must be off or otlp, got \"\(modeText)\"")
        }
        let endpoint: String
        if let traces = environment.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            endpoint = traces
        } else {
            let base = environment.string("OTEL_EXPORTER_OTLP_ENDPOINT", default: "http://localhost:4318")
            endpoint = base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
        }
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigurationError(
                variable: "OTEL_EXPORTER_OTLP_ENDPOINT", reason: "must be an http(s) URL, got \"\(endpoint)\"")
        }
        let protocolText = environment.string("OTEL_EXPORTER_OTLP_PROTOCOL", default: ExportProtocol.httpProtobuf.rawValue)
        guard let exportProtocol = ExportProtocol(rawValue: protocolText) else {
            throw ConfigurationError(
                variable: "OTEL_EXPORTER_OTLP_PROTOCOL", reason: "must be http/protobuf or http/json, got \"\(protocolText)\"")
        }
        let scheduleDelay = try environment.milliseconds("OTEL_BSP_SCHEDULE_DELAY", default: .seconds(5))
        let maxQueueSize = try environment.int("OTEL_BSP_MAX_QUEUE_SIZE", default: 2048, in: 1...10_000_000)
        self.init(
            mode: mode, endpoint: endpoint, exportProtocol: exportProtocol,
            serviceName: environment.string("OTEL_SERVICE_NAME", default: serviceName))
        self.scheduleDelay = scheduleDelay
        self.maxQueueSize = maxQueueSize
    }
}

/// The tracer of a service that traces, and the background service that exports its spans.
struct HostTracing {
    let traces: Traces
    let exporter: any Service

    /// Nil when tracing is off: nothing is traced, and no middleware or span costs anything.
    static func make(_ configuration: TracingConfiguration) throws -> HostTracing? {
        guard configuration.mode == .otlp else { return nil }
        var otel = OTel.Configuration.default
        otel.serviceName = configuration.serviceName
        otel.logs.enabled = false
        otel.metrics.enabled = false
        otel.traces.enabled = true
        otel.traces.exporter = .otlp
        otel.traces.otlpExporter.endpoint = configuration.endpoint
        otel.traces.otlpExporter.protocol = configuration.exportProtocol == .httpJSON ? .httpJSON : .httpProtobuf
        otel.traces.batchSpanProcessor.scheduleDelay = configuration.scheduleDelay
        otel.traces.batchSpanProcessor.maxQueueSize = configuration.maxQueueSize
        let backend = try OTel.makeTracingBackend(configuration: otel)
        return HostTracing(traces: Traces(tracer: backend.factory), exporter: backend.service)
    }
}

/// A server span for each request, continuing the caller's trace (`traceparent`/`tracestate` headers) and named
/// after the route it matched (`POST /claims`); its context is what the request's outbox rows and log lines carry.
struct HTTPTracingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let traces: Traces

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let parent = TraceContext(
            traceparent: request.headers[.traceparent], tracestate: request.headers[.tracestate])
        let method = request.method.rawValue
        return try await traces.withSpan(method, kind: .server, parent: parent, attributes: [
            "http.request.method": .string(method), "url.path": .string(request.uri.path),
        ]) { span in
            do {
                let response = try await next(request, context)
                Self.finish(span, method: method, context: context, status: response.status.code)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                Self.finish(span, method: method, context: context, status: status)
                throw error
            }
        }
    }

    private static func finish(_ span: any Span, method: String, context: AppRequestContext, status: Int) {
        if let route = context.endpointPath {
            span.operationName = "\(method) \(route)"
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = Int64(status)
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

extension HTTPField.Name {
    static let traceparent = HTTPField.Name("traceparent")!
    static let tracestate = HTTPField.Name("tracestate")!
}
