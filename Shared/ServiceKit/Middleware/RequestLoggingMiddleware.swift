import Foundation
import Hummingbird
import Logging

/// One structured log line per request once it is answered: method, route, path, status and duration.
///
/// It never logs bodies, query strings (they may carry personal data) or headers (so never `Authorization`).
/// Health and metrics probes log at `debug`, everything else at `info`.
public struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let path = request.uri.path
        let isProbe = path.hasPrefix("/health/") || path == "/metrics"
        context.logger.log(
            level: isProbe ? .debug : .info,
            "request completed",
            metadata: [
                "http.request.method": .string(request.method.rawValue),
                "http.route": .string(context.endpointPath ?? "unmatched"),
                "url.path": .string(path),
                "http.response.status_code": .stringConvertible(status.code),
                "http.server.duration_ms": .string(String(format: "%.3f", milliseconds)),
            ]
        )
    }
}
