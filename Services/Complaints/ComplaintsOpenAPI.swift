import ServiceKit

/// The OpenAPI 3.1 document of `complaints`'s own routes (the host adds health, metrics and `/openapi.json`).
enum ComplaintsOpenAPI {
    static let document = OpenAPIDocument(title: "complaints", version: "1.0.0")
}
