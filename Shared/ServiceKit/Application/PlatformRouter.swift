import Foundation
import Hummingbird
import Logging
import Metrics

/// The router every service starts from: platform middleware and routes installed, ready for the service's own
/// routes.
///
/// Middleware, outermost first: request id (`X-Request-Id`), request logging, Hummingbird's `MetricsMiddleware`,
/// problem+json errors, bearer-token authentication, JSON bodies held to their documented shape
/// (``DocumentedBodyMiddleware``: no undocumented member, no `null` where the schema has none). Routes: `GET /health/live`, `GET /health/ready` (every
/// `readiness` check, concurrently, each within `readinessTimeout`), `GET /metrics` (Prometheus text: the
/// registry after ``ProcessMetrics`` and every one of `metricsCollectors` has recorded its gauges),
/// `GET /openapi.json` (`openAPI` with ``OpenAPIDocument/platformPaths`` merged). Middleware applies to routes added
/// afterwards too, so the service's own routes get all of it.
public func makeRouter(
    service: String,
    readiness: [ReadinessCheck],
    auth: TokenVerifier,
    openAPI: OpenAPIDocument,
    logger: Logger,
    readinessTimeout: Duration = .seconds(2),
    metricsCollectors: [@Sendable () async -> Void] = [],
    tracing: (any RouterMiddleware<AppRequestContext>)? = nil,
    apiDocsDirectory: String? = nil
) -> Router<AppRequestContext> {
    let registry = MetricsBootstrap.bootstrap()
    let router = Router(context: AppRequestContext.self)
    // Outermost, so that the server span covers everything and every log line of the request carries its trace.
    if let tracing {
        func add(_ middleware: some RouterMiddleware<AppRequestContext>) { router.add(middleware: middleware) }
        add(tracing)
    }
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLoggingMiddleware())
    router.add(middleware: MetricsMiddleware())
    let operations = OperationIndex(openAPI.merging(.platformPaths))
    router.add(middleware: ProblemMiddleware(operations: operations))
    router.add(middleware: AuthenticationMiddleware(verifier: auth, operations: operations))
    router.add(middleware: DocumentedBodyMiddleware(document: openAPI))

    router.get("/health/live") { _, _ in
        jsonResponse(status: .ok, Data(#"{"status":"live"}"#.utf8))
    }

    router.get("/health/ready") { _, context in
        let report = await ReadinessReport.run(readiness, timeout: readinessTimeout)
        if !report.isReady {
            let failed = report.checks.filter { $0.value.status != "pass" }
            context.logger.warning(
                "not ready",
                metadata: [
                    "readiness.failed": .array(failed.keys.sorted().map { .string($0) }),
                    "readiness.details": .array(failed.sorted { $0.key < $1.key }.map {
                        .string("\($0.key): \($0.value.detail ?? $0.value.reason ?? "")")
                    }),
                ]
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(report)) ?? Data(#"{"status":"not-ready","checks":{}}"#.utf8)
        return jsonResponse(status: report.isReady ? .ok : .serviceUnavailable, body)
    }

    let process = ProcessMetrics()
    let ready = Gauge(label: "gbm_ready")
    let checks = Dictionary(uniqueKeysWithValues: readiness.map {
        ($0.name, Gauge(label: "gbm_readiness_check_passing", dimensions: [("check", $0.name)]))
    })
    router.get("/metrics") { _, _ in
        // Gauges of state read at scrape time (process, readiness, connection pool, outbox), then the registry:
        // `gbm_ready` is what /health/ready would answer (1 ready, 0 not), for an alert that outlives probes.
        process.collect()
        let report = await ReadinessReport.run(readiness, timeout: readinessTimeout)
        ready.record(report.isReady ? 1 : 0)
        for (name, outcome) in report.checks { checks[name]?.record(outcome.status == "pass" ? 1 : 0) }
        for collect in metricsCollectors { await collect() }
        let text = registry.emitToBuffer()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(text.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }

    let document = openAPI.merging(.platformPaths).jsonData()
    router.get("/openapi.json") { _, _ in
        jsonResponse(status: .ok, document)
    }

    APIDocsPage(service: service, directory: apiDocsDirectory).install(on: router)

    logger.debug("platform routes installed", metadata: ["service.name": .string(service)])
    return router
}

private func jsonResponse(status: HTTPResponse.Status, _ data: Data) -> Response {
    Response(
        status: status,
        headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(data.count)],
        body: .init(byteBuffer: ByteBuffer(bytes: data))
    )
}
