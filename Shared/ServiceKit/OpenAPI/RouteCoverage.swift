import Hummingbird

/// Routes the router serves that the document does not describe, as `"GET /claims/{id}"`, sorted.
///
/// Paths compare after normalising (`:id` and `{id}` are the same; parameter names must match); the platform
/// paths count as documented. A service test asserts this is empty.
public func undocumentedRoutes<Context>(router: Router<Context>, document: OpenAPIDocument) -> [String] {
    let documented = Set(document.merging(.platformPaths).operations)
    return routeOperations(router).subtracting(documented).sorted().map(\.description)
}

/// Operations the document describes that the router does not serve, as `"POST /claims"`, sorted.
///
/// The platform paths count as documented, so a router from ``makeRouter(service:readiness:auth:openAPI:logger:readinessTimeout:)``
/// satisfies them. A service test asserts this is empty.
public func unroutedOperations<Context>(router: Router<Context>, document: OpenAPIDocument) -> [String] {
    let routed = routeOperations(router)
    return Set(document.merging(.platformPaths).operations).subtracting(routed).sorted().map(\.description)
}

private func routeOperations<Context>(_ router: Router<Context>) -> Set<OpenAPIDocument.Operation> {
    Set(router.routes.map { OpenAPIDocument.Operation(method: $0.method.rawValue, path: $0.path.description) })
}
