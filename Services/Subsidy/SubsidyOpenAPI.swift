import ServiceKit

/// The OpenAPI 3.1 document of `subsidy`'s own routes (the host adds health, metrics and `/openapi.json`).
enum SubsidyOpenAPI {
    static let document = OpenAPIDocument(title: "subsidy", version: "1.0.0")
}
