import Foundation
import Hummingbird

/// An error as RFC 9457 problem details (`application/problem+json`): the single error shape every service returns.
///
/// Throw a `Problem` from a route (or anything the route calls) and the problem middleware renders it, with the
/// request id added, so the caller gets a stable machine-readable ``code`` plus a sentence a person can act on.
/// `type` is derived from `code` (`https://gbm.example.gov.cn/problems/<code>`), so the two never disagree.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// Base of every problem `type` URI.
    public static let typeBase = "https://gbm.example.gov.cn/problems/"
    /// The media type of a rendered problem.
    public static let mediaType = "application/problem+json"

    /// HTTP status the problem is returned with.
    public var status: HTTPResponse.Status
    /// Stable, kebab-case identifier of the kind of problem (`validation-failed`, `claim-already-approved`).
    public var code: String
    /// Short, human-readable summary of the kind of problem; the same for every occurrence of `code`.
    public var title: String
    /// Explanation specific to this occurrence.
    public var detail: String?
    /// The fields that were rejected, when the problem is about input.
    public var errors: [FieldError]
    /// URI reference identifying this occurrence (RFC 9457 `instance`), usually the request path.
    public var instance: String?
    /// The request id the caller can quote to operators; filled in by the problem middleware.
    public var requestID: String?

    public init(
        status: HTTPResponse.Status,
        code: String,
        title: String? = nil,
        detail: String? = nil,
        errors: [FieldError] = [],
        instance: String? = nil
    ) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.instance = instance
        self.requestID = nil
    }

    /// RFC 9457 `type`: a URI naming the kind of problem, built from ``code``.
    public var type: String { Self.typeBase + code }

    public var description: String {
        var text = "\(status.code) \(code): \(title)"
        if let detail { text += " — \(detail)" }
        if !errors.isEmpty { text += " [" + errors.map(\.description).joined(separator: "; ") + "]" }
        return text
    }

    /// The problem as a JSON body.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, integers and arrays of them cannot fail.
        return (try? encoder.encode(self)) ?? Data(#"{"status":500,"title":"Internal Server Error"}"#.utf8)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response()
    }

    /// The problem as an HTTP response, for code that has no request at hand.
    public func response() -> Response {
        let data = jsonData()
        var headers: HTTPFields = [.contentType: Self.mediaType, .contentLength: String(data.count)]
        if status == .unauthorized {
            headers[.wwwAuthenticate] = #"Bearer realm="gbm""#
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, code, errors, requestID = "requestId"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let statusCode = try container.decode(Int.self, forKey: .status)
        let type = try container.decodeIfPresent(String.self, forKey: .type)
        let code = try container.decodeIfPresent(String.self, forKey: .code)
            ?? type.map { $0.hasPrefix(Self.typeBase) ? String($0.dropFirst(Self.typeBase.count)) : $0 }
            ?? "about:blank"
        self.init(
            status: HTTPResponse.Status(code: statusCode),
            code: code,
            title: try container.decodeIfPresent(String.self, forKey: .title),
            detail: try container.decodeIfPresent(String.self, forKey: .detail),
            errors: try container.decodeIfPresent([FieldError].self, forKey: .errors) ?? [],
            instance: try container.decodeIfPresent(String.self, forKey: .instance)
        )
        self.requestID = try container.decodeIfPresent(String.self, forKey: .requestID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(instance, forKey: .instance)
        try container.encode(code, forKey: .code)
        if !errors.isEmpty {
            try container.encode(errors, forKey: .errors)
        }
        try container.encodeIfPresent(requestID, forKey: .requestID)
    }
}

/// An error type that knows which ``Problem`` it is, so domain errors can stay domain types and still render as
/// problem+json (the problem middleware asks for ``problem``).
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}
