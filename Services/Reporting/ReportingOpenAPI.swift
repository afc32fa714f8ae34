import ServiceKit

/// The OpenAPI 3.1 document of `reporting`'s own routes (the host adds health, metrics and `/openapi.json`).
enum ReportingOpenAPI {
    static let document = OpenAPIDocument(title: "reporting", version: "1.0.0")
}
