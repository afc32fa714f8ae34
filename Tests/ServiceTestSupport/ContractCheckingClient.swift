import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

/// A service's OpenAPI document (with the platform's paths) as the contract its responses are held to: the
/// documented operation of a request (method and path template, the most literal template first, as the router
/// prefers `/a/b` to `/a/{x}`), whether it documents the status (explicitly, as `4XX`, or as `default`), the
/// media type, and whether a JSON or problem+json body validates against the documented schema (`$ref`s resolved
/// in the document).
public struct ResponseContract: Sendable {
    struct Template: Sendable {
        var segments: [Substring]
        var item: [String: JSONValue]
        var literalCount: Int { segments.count { $0.first != "{" } }
    }

    let root: JSONValue
    let templates: [Template]

    public init(_ document: OpenAPIDocument) {
        let merged = document.merging(.platformPaths)
        // The document is JSON the platform wrote: it always parses.
        root = (try? JSONValue(parsing: Array(merged.jsonData()))) ?? .null
        templates = (root["paths"]?.objectValue ?? [:]).map { path, item in
            Template(segments: path.split(separator: "/", omittingEmptySubsequences: true), item: item.objectValue ?? [:])
        }.sorted { $0.literalCount != $1.literalCount ? $0.literalCount > $1.literalCount : $0.segments.lexicographicallyPrecedes($1.segments) }
    }

    /// The documented operation of `method` on `path` and its path template; nil when the document has none (the
    /// route-coverage checks answer for routes; a request for an unknown path is the platform's 404/405).
    public func operation(method: String, path: String) -> (template: String, operation: [String: JSONValue])? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for template in templates where template.segments.count == segments.count {
            guard zip(template.segments, segments).allSatisfy({ pattern, segment in pattern.first == "{" || pattern == segment })
            else { continue }
            if let operation = template.item[method.lowercased()]?.objectValue {
                return ("/" + template.segments.joined(separator: "/"), operation)
            }
        }
        return nil
    }

    /// Every way the response breaks the document, as sentences naming the operation (empty when it conforms or
    /// no operation is documented for the request).
    public func violations(
        method: HTTPRequest.Method, uri: String, status: Int, contentType: String?, body: [UInt8]
    ) -> [String] {
        let path = String(uri.prefix { $0 != "?" && $0 != "#" })
        let isHead = method == .head
        guard let (template, operation) = self.operation(method: isHead ? "get" : method.rawValue, path: path) else { return [] }
        let name = "\(method.rawValue) \(template) answered \(status)"
        let responses = operation["responses"]?.objectValue ?? [:]
        guard var response = responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"] else {
            return ["\(name), which it does not document (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        if let reference = response["$ref"]?.stringValue {
            guard let target = JSONSchemaValidator.resolve(reference, in: root) else {
                return ["\(name): its response \(reference) does not resolve"]
            }
            response = target
        }
        guard !body.isEmpty, !isHead else { return [] }
        let mediaType = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let content = response["content"]?.objectValue, !content.isEmpty else {
            return ["\(name) with a \(mediaType.isEmpty ? "body" : mediaType + " body"), but documents no content"]
        }
        let documented = content[mediaType] ?? content.first { key, _ in
            key == "*/*" || (key.hasSuffix("/*") && mediaType.hasPrefix(key.dropLast()))
        }?.value
        guard let documented else {
            return ["\(name) with \(mediaType.isEmpty ? "no Content-Type" : mediaType), which it does not document (documented: \(content.keys.sorted().joined(separator: ", ")))"]
        }
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else { return [] }
        let instance: JSONValue
        do {
            instance = try JSONValue(parsing: body)
        } catch {
            return ["\(name) with a \(mediaType) body that is not JSON: \(error)"]
        }
        guard let schema = documented["schema"] else { return [] }
        let found = JSONSchemaValidator.validate(instance, against: schema, root: root)
        guard !found.isEmpty else { return [] }
        let text = String(decoding: body.prefix(600), as: UTF8.self)
        return ["\(name) with a \(mediaType) body its schema refuses: "
                + found.prefix(10).map(\.description).joined(separator: "; ") + " — body: \(text)"]
    }
}

/// A test client that checks every response against the service's OpenAPI document (``ResponseContract``) and
/// records an issue in the running test for each way one breaks it: an undocumented status or media type, or a
/// body its schema refuses. The document is what partners and the API fuzzer code against, so a drift is a bug.
public struct ContractCheckingClient: TestClientProtocol {
    public let base: any TestClientProtocol
    public let contract: ResponseContract

    public init(_ base: any TestClientProtocol, document: OpenAPIDocument) {
        self.base = base
        self.contract = ResponseContract(document)
    }

    public init(_ base: any TestClientProtocol, contract: ResponseContract) {
        self.base = base
        self.contract = contract
    }

    public var port: Int? { base.port }

    public func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        let found = contract.violations(
            method: method, uri: uri, status: Int(response.status.code), contentType: response.headers[.contentType],
            body: Array(response.body.readableBytesView))
        for violation in found {
            Issue.record(Comment(rawValue: "OpenAPI contract: " + violation))
        }
        return response
    }
}

extension TestClientProtocol {
    /// This client with every response checked against `document` (``ContractCheckingClient``).
    public func checkingContract(_ document: OpenAPIDocument) -> ContractCheckingClient {
        ContractCheckingClient(self, document: document)
    }
}
