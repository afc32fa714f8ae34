import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A response: status, headers, body text and the body as JSON. A suite adds what it reads of its own bodies in an
/// extension.
public struct Reply: Sendable {
    public var status: HTTPResponse.Status
    public var text: String
    public var headers: HTTPFields
    /// The body as it came (a PDF, …).
    public var bytes: [UInt8] = []

    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    /// The fields a problem names, in order.
    public var fields: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    /// A problem's code.
    public var code: String? { json["code"] as? String }
    public var id: String { json["id"] as? String ?? "" }
    public func string(_ key: String) -> String? { json[key] as? String }
}

/// The HTTP client the service tests speak through: a bearer token, and a JSON, text or binary body.
public struct ServiceClient: Sendable {
    public let client: any TestClientProtocol

    public init(client: any TestClientProtocol) { self.client = client }

    @discardableResult
    public func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, text: String? = nil,
        bytes: [UInt8]? = nil, contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let text {
            headers[.contentType] = contentType ?? "text/csv"
            body = ByteBuffer(string: text)
        } else if let bytes {
            headers[.contentType] = contentType ?? "application/pdf"
            body = ByteBuffer(bytes: bytes)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, text: String(buffer: response.body), headers: response.headers,
                  bytes: Array(response.body.readableBytesView))
        }
    }

    @discardableResult
    public func get(_ uri: String, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.get, uri, token: token, headers: extra)
    }
}
