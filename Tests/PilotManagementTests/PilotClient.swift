import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A response: status, body text and the body as JSON.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var text: String
    var headers: HTTPFields

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    var fields: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    var code: String? { json["code"] as? String }
    var id: String { json["id"] as? String ?? "" }
}

/// The HTTP client the tests speak through.
struct PilotClient: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        bytes: [UInt8]? = nil, contentType: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let bytes {
            headers[.contentType] = contentType ?? "application/pdf"
            body = ByteBuffer(bytes: bytes)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }
}
