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
        let id = request.headers[.requestID].flatMap { Self.isUsable($0) ? $0 : nil } ?? Self.generate()
        var context = context
        context.requestID = id
        // One metadata change, not two: a log handler may re-render its metadata on every change.
        var metadata = context.logger.handler.metadata
        metadata["request.id"] = .string(id)
        metadata["hb.request.id"] = .string(id)
        context.logger.handler.metadata = metadata
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// A random id in UUID form (version 4), from the system generator: Foundation's `UUID()` opened and read
    /// `/dev/urandom` for each request.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = withUnsafeBytes(of: (generator.next() as UInt64, generator.next() as UInt64)) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
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
