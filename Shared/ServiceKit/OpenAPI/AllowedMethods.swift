/// Which methods a path has routes for, from the service's documented operations (the router and the document
/// cannot drift apart: ``undocumentedRoutes(router:document:)``). A request for a known path with another method is
/// answered `405 Method Not Allowed` with an `Allow` header, as RFC 9110 asks, rather than `404`.
public struct AllowedMethods: Sendable {
    private let templates: [(segments: [Substring], methods: Set<String>)]

    public init(_ operations: [OpenAPIDocument.Operation]) {
        var byPath: [String: Set<String>] = [:]
        for operation in operations { byPath[operation.path, default: []].insert(operation.method) }
        templates = byPath.sorted { $0.key < $1.key }.map { path, methods in
            (path.split(separator: "/", omittingEmptySubsequences: true), methods)
        }
    }

    /// The methods of the route matching `path` (empty when no route does), sorted.
    public func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<String>()
        for template in templates where template.segments.count == segments.count {
            let matches = zip(template.segments, segments).allSatisfy { pattern, segment in
                pattern.first == "{" || pattern == segment
            }
            if matches { methods.formUnion(template.methods) }
        }
        return methods.sorted()
    }
}
