import Foundation
import Hummingbird
import Logging

/// Reads `Authorization: Bearer <token>` and, when the token verifies, puts its ``Principal`` in the context.
///
/// A request without an `Authorization` header stays anonymous (routes decide with `requirePrincipal()` and
/// friends); one with a malformed, expired or badly signed token is refused with a 401 problem.
public struct AuthenticationMiddleware<Context: PrincipalRequestContext>: RouterMiddleware {
    public let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = request.headers[.authorization] else {
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
