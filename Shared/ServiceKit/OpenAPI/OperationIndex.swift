import Contracts

/// The service's documented operations by path template, to answer for a request what the router cannot: which
/// methods a path has (a request for a known path with another method gets `405 Method Not Allowed` with `Allow`,
/// as RFC 9110 asks, not `404`), and whether an operation needs a bearer token before anything else is looked at
/// (a request without one gets `401`, not a `422` about its path). The router and the document cannot drift apart:
/// ``undocumentedRoutes(router:document:)`` is checked for every service.
public struct OperationIndex: Sendable {
    struct Template: Sendable {
        var segments: [Substring]
        /// Method → whether it needs a token.
        var methods: [String: Bool]
        var literalCount: Int { segments.count { $0.first != "{" } }
    }

    private let templates: [Template]

    public init(_ document: OpenAPIDocument) {
        var byPath: [String: [String: Bool]] = [:]
        for (operation, needsToken) in document.operationsNeedingTokens {
            byPath[operation.path, default: [:]][operation.method] = needsToken
        }
        templates = byPath.sorted { $0.key < $1.key }.map { path, methods in
            Template(segments: path.split(separator: "/", omittingEmptySubsequences: true), methods: methods)
        }
    }

    /// The templates matching `path`, most literal segments first (as the router prefers `/a/b` to `/a/{x}`).
    private func matching(_ path: String) -> [Template] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return templates.filter { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { pattern, segment in pattern.first == "{" || pattern == segment }
        }.sorted { $0.literalCount > $1.literalCount }
    }

    /// The methods of the routes matching `path` (empty when none does), sorted.
    public func methods(for path: String) -> [String] {
        Set(matching(path).flatMap(\.methods.keys)).sorted()
    }

    /// Whether the operation `method` `path` is documented as needing a bearer token (no anonymous alternative).
    public func needsToken(method: String, path: String) -> Bool {
        matching(path).lazy.compactMap { $0.methods[method.uppercased()] }.first ?? false
    }
}

extension OpenAPIDocument {
    /// Every operation with whether its security requirements leave no anonymous alternative (`{}`); an operation
    /// without `security` takes the document's.
    var operationsNeedingTokens: [(Operation, Bool)] {
        guard let object = root.objectValue, let paths = object["paths"]?.objectValue else { return [] }
        func needsToken(_ security: JSONValue?) -> Bool {
            guard case .array(let requirements)? = security, !requirements.isEmpty else { return false }
            return !requirements.contains { $0.objectValue?.isEmpty ?? false }
        }
        let global = object["security"]
        return paths.flatMap { path, item in
            (item.objectValue ?? [:]).compactMap { method, operation -> (Operation, Bool)? in
                guard Self.methods.contains(method) else { return nil }
                return (Operation(method: method, path: path), needsToken(operation.objectValue?["security"] ?? global))
            }
        }
    }
}
