import Foundation
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-Id` when it is usable (1–128 characters of
/// `A-Z a-z 0-9 . _ : -`), otherwise a fresh UUID. The id goes into ``PrincipalRequestContext/requestID``, the
/// logger's `request.id` metadata (and Hummingbird's `hb.request.id`, so `context.id` agrees) and the response's
/// `X-Request-Id` header.
public struct RequestIDMiddleware<Context: PrincipalRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap { Self.isUsable($0) ? $0 : nil } ?? UUID().uuidString.lowercased()
        var context = context
        context.requestID = id
        context.logger[metadataKey: "request.id"] = .string(id)
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// Whether a caller-supplied id is safe to log and echo (no spaces, control characters or header injection).
    static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
            }
    }
}
