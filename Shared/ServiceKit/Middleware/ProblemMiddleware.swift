import Hummingbird
import Logging

/// Turns every error a route throws into an RFC 9457 problem+json response carrying the request id.
///
/// - ``Problem`` and ``ProblemConvertible`` errors render as they are.
/// - Hummingbird's `HTTPError` (unknown route, body too large, `request.decode`'s 400) keeps its status; an unknown
///   route whose path exists with other methods is a 405 `method-not-allowed` with `Allow` (``OperationIndex``).
/// - A `DecodingError` names the field path and the reason.
/// - A query parameter holding U+0000 is refused with 422 before the route runs (``NULCharacter``).
/// - An infrastructure failure (``InfrastructureFailure``: the database unreachable, no pooled connection free in
///   time, a lock or statement time-out) is a 503 `service-unavailable` with `Retry-After`: the request was fine,
///   the service is overloaded or recovering, and the client should try again.
/// - Anything else is a 500 whose body says nothing about internals; the error itself is logged with the request id.
public struct ProblemMiddleware<Context: PrincipalRequestContext>: RouterMiddleware {
    let operations: OperationIndex?

    public init(operations: OperationIndex? = nil) {
        self.operations = operations
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            // Only a query with an escaped NUL is parsed here (a raw NUL never gets past the HTTP parser).
            if request.uri.query?.contains("%00") == true, let parameter = request.uri.queryParameters.first(where: {
                $0.key.unicodeScalars.contains("\u{0}") || $0.value.unicodeScalars.contains("\u{0}")
            }) {
                // A parameter with an empty name is still named: `query` (the Problem schema allows no empty field).
                throw Problem.validation(field: parameter.key.isEmpty ? "query" : String(parameter.key), reason: NULCharacter.reason)
            }
            return try await next(request, context)
        } catch {
            var problem = Self.problem(for: error, request: request, context: context)
            var allow: [String] = []
            if let error = error as? HTTPError, error.status == .notFound, error.body == nil {
                allow = operations?.methods(for: request.uri.path) ?? []
                if !allow.isEmpty {
                    problem = Problem(
                        status: .methodNotAllowed, code: "method-not-allowed", title: "Method Not Allowed",
                        detail: "\(request.uri.path) answers \(allow.joined(separator: ", ")), not \(request.method.rawValue).")
                }
            }
            problem.requestID = context.requestID
            if problem.instance == nil { problem.instance = request.uri.path }
            var response = problem.response()
            if !allow.isEmpty { response.headers[.allow] = allow.joined(separator: ", ") }
            if problem.status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
            return response
        }
    }

    static func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            logClientError(problem, context: context)
            return problem
        case let convertible as any ProblemConvertible:
            let problem = convertible.problem
            logClientError(problem, context: context)
            return problem
        case let error as HTTPError:
            var problem = Problem(error)
            if error.status == .notFound, error.body == nil {
                problem.detail = "There is no route for \(request.method.rawValue) \(request.uri.path)."
            }
            logClientError(problem, context: context)
            return problem
        case let error as DecodingError:
            let problem = Problem(error)
            logClientError(problem, context: context)
            return problem
        case let failure as any InfrastructureFailure where failure.isInfrastructureFailure:
            context.logger.warning(
                "request failed on unavailable infrastructure",
                metadata: ["error.type": .string(String(describing: type(of: error))), "error.message": .string(String(describing: error))]
            )
            return Problem(
                status: .serviceUnavailable, code: "service-unavailable", title: "Service Unavailable",
                detail: "The service is overloaded or recovering; nothing was changed. Try again shortly.")
        case let error as any HTTPResponseError where error.status.kind != .serverError:
            var problem = Problem(status: error.status, code: Problem.code(for: error.status))
            if error.status == .contentTooLarge {
                problem.detail = "The request body is larger than this operation accepts (2 MiB for JSON bodies; the documented limit for uploads)."
            }
            logClientError(problem, context: context)
            return problem
        default:
            context.logger.error(
                "unexpected error answering request",
                metadata: [
                    "error.type": .string(String(describing: type(of: error))),
                    "error.message": .string(String(describing: error)),
                ]
            )
            return .internalError(requestID: context.requestID)
        }
    }

    private static func logClientError(_ problem: Problem, context: Context) {
        context.logger.log(
            level: problem.status.kind == .serverError ? .error : .debug,
            "request answered with a problem",
            metadata: ["problem.code": .string(problem.code), "http.response.status_code": .stringConvertible(problem.status.code)]
        )
    }
}

/// An error that can say it is the infrastructure's fault (a database outage or overload), not the request's: the
/// problem middleware answers it with a 503 and `Retry-After` instead of a 500.
public protocol InfrastructureFailure: Error {
    var isInfrastructureFailure: Bool { get }
}
