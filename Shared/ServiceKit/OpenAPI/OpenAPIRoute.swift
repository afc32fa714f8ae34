import Contracts
import Foundation

/// One documented operation with its request and response schemas, written with the same JSON Schema DSL the event
/// contracts use, so a partner (or an API fuzzer) can code against `/openapi.json`.
public struct OpenAPIRoute: Sendable {
    public struct QueryParameter: Sendable {
        public var name: String
        public var schema: JSONSchema
        public var description: String
        public var isRequired: Bool

        public init(_ name: String, _ schema: JSONSchema, _ description: String, required: Bool = false) {
            self.name = name
            self.schema = schema
            self.description = description
            self.isRequired = required
        }
    }

    public var method: String
    public var path: String
    public var summary: String
    /// Roles allowed; empty for a public route (no token needed).
    public var roles: [Role]
    public var query: [QueryParameter]
    /// The path's `{name}` parameters with their schemas; one not listed is a non-empty string.
    public var pathParameters: [QueryParameter]
    /// The JSON request body's schema, if the route takes one.
    public var requestBody: JSONSchema?
    /// A request body that is not JSON (a CSV file): its media type; with `requestBody` too, either may be sent.
    public var requestMediaType: String?
    public var successStatus: Int
    /// The JSON response's schema; nil with `responseMediaType` for a file.
    public var response: JSONSchema?
    public var responseMediaType: String
    /// Problem statuses the route answers besides 401/403 (from `roles`) and 422 (with a body or query).
    public var problems: [Int]
    /// Headers the route reads (e.g. `Idempotency-Key`).
    public var headers: [QueryParameter]
    /// More about who may call it and what each caller sees, after the roles in the operation's description.
    public var notes: String?
    /// Whether the route answers a conditional GET (`If-None-Match` with its current `ETag`) with 304 Not Modified.
    public var conditional: Bool

    public init(
        _ method: String, _ path: String, _ summary: String, roles: [Role] = [], query: [QueryParameter] = [],
        pathParameters: [QueryParameter] = [], headers: [QueryParameter] = [], requestBody: JSONSchema? = nil, requestMediaType: String? = nil,
        success: Int = 200, response: JSONSchema? = nil, responseMediaType: String = "application/json",
        problems: [Int] = [], notes: String? = nil, conditional: Bool = false
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.roles = roles
        self.query = query
        self.pathParameters = pathParameters
        self.headers = headers
        self.requestBody = requestBody
        self.requestMediaType = requestMediaType
        self.successStatus = success
        self.response = response
        self.responseMediaType = responseMediaType
        self.problems = problems
        self.notes = notes
        self.conditional = conditional
    }
}

extension OpenAPIDocument {
    /// The schema of an RFC 9457 problem as every service writes it.
    public static let problemSchema: JSONSchema = .object([
        .required("type", .text(maxLength: 2000), "A URI naming the problem type."),
        .required("title", .text(maxLength: 2000), "A short summary."),
        .required("status", .integer(minimum: 400, maximum: 599), "The HTTP status."),
        .optional("detail", .text(maxLength: 10_000), "What went wrong, for a person."),
        .required("code", .text(maxLength: 200), "The stable, machine-readable problem code."),
        .optional("instance", .text(maxLength: 2000), "The request this problem is about."),
        .optional("requestId", .text(maxLength: 200), "The request id, for support."),
        .optional("errors", .array(of: .object([
            .required("field", .text(maxLength: 2000), "The field at fault (JSON path or parameter name)."),
            .required("reason", .text(maxLength: 2000), "Why it was refused."),
        ])), "Every field at fault."),
    ])

    /// The content of every problem response: `application/problem+json` with the one `Problem` schema of
    /// `components.schemas`.
    public static let problemContent: JSONValue = .object([
        "application/problem+json": .object(["schema": .object(["$ref": "#/components/schemas/Problem"])]),
    ])

    /// A document of `routes`: each with its parameters, body, responses and security.
    public init(title: String, version: String, description: String, routes: [OpenAPIRoute]) {
        var paths: [String: JSONValue] = [:]
        for route in routes {
            var parameters: [JSONValue] = route.path.split(separator: "/").compactMap { part in
                guard part.hasPrefix("{") else { return nil }
                let name = String(part.dropFirst().dropLast())
                guard let declared = route.pathParameters.first(where: { $0.name == name }) else {
                    return .object(["name": .string(name), "in": "path", "required": true,
                                    "schema": .object(["type": "string", "minLength": 1])])
                }
                return .object(["name": .string(name), "in": "path", "required": true,
                                "description": .string(declared.description), "schema": declared.schema.json])
            }
            for (location, list) in [("query", route.query), ("header", route.headers)] {
                for parameter in list {
                    parameters.append(.object([
                        "name": .string(parameter.name), "in": .string(location), "required": .bool(parameter.isRequired),
                        "description": .string(parameter.description), "schema": parameter.schema.json,
                    ]))
                }
            }
            func problemResponse(_ description: String) -> JSONValue {
                .object(["description": .string(description), "content": Self.problemContent])
            }
            var responses: [String: JSONValue] = [:]
            var success: [String: JSONValue] = ["description": "Success"]
            if let schema = route.response {
                success["content"] = .object([route.responseMediaType: .object(["schema": schema.json])])
            } else if route.responseMediaType != "application/json" {
                success["content"] = .object([route.responseMediaType: .object(["schema": .object(["type": "string"])])])
            }
            responses[String(route.successStatus)] = .object(success)
            if !route.roles.isEmpty {
                responses["401"] = problemResponse("No or an invalid bearer token")
                responses["403"] = problemResponse("The caller's role or scope may not do this")
            }
            if route.requestBody != nil || route.requestMediaType != nil || !route.query.isEmpty || !route.headers.isEmpty {
                responses["400"] = problemResponse("The body is not valid JSON or misses a field")
                responses["422"] = problemResponse("A field is invalid; every bad field is named")
            } else if !route.pathParameters.isEmpty {
                responses["422"] = problemResponse("A path parameter is invalid; it is named")
            }
            for status in route.problems { responses[String(status)] = problemResponse("See the problem's code") }
            if route.conditional {
                responses["304"] = .object([
                    "description": "Not Modified: the If-None-Match entity tag is still current (no body)",
                    "headers": .object(["ETag": .object(["schema": .object(["type": "string"])])]),
                ])
                parameters.append(.object([
                    "name": "If-None-Match", "in": "header", "required": false,
                    "description": "An ETag this operation returned: 304 while the answer would be the same",
                    "schema": .object(["type": "string", "maxLength": 200]),
                ]))
            }
            responses["default"] = problemResponse("An RFC 9457 problem")
            var operation: [String: JSONValue] = [
                "summary": .string(route.summary),
                "operationId": .string(Self.operationID(route)),
                "responses": .object(responses),
                "security": route.roles.isEmpty ? .array([]) : .array([.object(["bearer": .array([])])]),
            ]
            let roles = route.roles.isEmpty ? nil : "Roles: " + route.roles.map(\.rawValue).joined(separator: ", ") + "."
            if let description = [roles, route.notes].compactMap({ $0 }).joined(separator: " ").nilIfEmpty {
                operation["description"] = .string(description)
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            var requestContent: [String: JSONValue] = [:]
            if let body = route.requestBody { requestContent["application/json"] = .object(["schema": body.json]) }
            if let mediaType = route.requestMediaType { requestContent[mediaType] = .object(["schema": .object(["type": "string"])]) }
            if !requestContent.isEmpty {
                operation["requestBody"] = .object(["required": true, "content": .object(requestContent)])
            }
            var item = paths[route.path]?.objectValue ?? [:]
            item[route.method] = .object(operation)
            paths[route.path] = .object(item)
        }
        self.init(title: title, version: version)
        root = .object([
            "openapi": "3.1.0",
            "info": .object(["title": .string(title), "version": .string(version), "description": .string(description)]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": "http", "scheme": "bearer", "bearerFormat": "JWT"])]),
                "schemas": .object(["Problem": Self.problemSchema.json]),
            ]),
        ])
    }

    /// `post /claims/{id}/reviews` → `postClaimsIdReviews`.
    static func operationID(_ route: OpenAPIRoute) -> String {
        let words = route.path.split(separator: "/").map { part -> String in
            let word = part.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: "-").map { $0.capitalized }.joined()
            return word
        }
        return route.method + words.joined()
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
