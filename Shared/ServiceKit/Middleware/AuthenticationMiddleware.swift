import Foundation
import Hummingbird
import Logging

/// Reads `Authorization: Bearer <token>` and, when the token verifies, puts its ``Principal`` in the context.
///
/// A request without an `Authorization` header stays anonymous (routes decide with `requirePrincipal()` and
/// friends), except for an operation documented as needing a token (``OperationIndex``): that is refused with 401
/// `authentication-required` before the route looks at the request, so a caller without a token learns that first.
/// A malformed, expired or badly signed token is refused with a 401 problem.
public struct AuthenticationMiddleware<Context: PrincipalRequestContext>: RouterMiddleware {
    public let verifier: TokenVerifier
    let operations: OperationIndex?

    public init(verifier: TokenVerifier, operations: OperationIndex? = nil) {
        self.verifier = verifier
        self.operations = operations
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = request.headers[.authorization] else {
            if operations?.needsToken(method: request.method.rawValue, path: request.uri.path) == true {
                throw Problem.unauthorized("This operation needs a bearer token.", code: "authentication-required")
            }
            return try await next(request, context)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("The Authorization header must be `Bearer <token>`.", code: "token-malformed")
        }
        let principal = try await verifier.verify(parts[1].trimmingCharacters(in: .whitespaces))
        var context = context
        context.principal = principal
        context.logger[metadataKey: "auth.role"] = .string(principal.role.rawValue)
        return try await next(request, context)
    }
}
