import Contracts
import Foundation
import Hummingbird

/// Holds every JSON request body to its documented schema's shape before the route reads it: a member the schema
/// does not name (every documented object is closed, `additionalProperties: false`) and `null` for a member whose
/// schema does not allow it (an optional member is left out, never null) are a 422 naming each field
/// (`workPlan.title`, `lines[0].quantity`).
///
/// `Decodable` ignores unknown members and reads `null` as absent, so without this a body the published document
/// calls invalid was accepted, and a client's misspelt optional field silently did nothing. Values themselves (types,
/// lengths, patterns, identifiers and their check digits) stay the routes' to check, with their own messages; a body
/// that is not JSON is left to the route too (its decoder names the problem). Operations are found in the service's
/// own document, so a new route is covered by documenting it.
struct DocumentedBodyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    private struct Template: Sendable {
        var segments: [Substring]
        /// Method (upper case) → the `application/json` request body schema.
        var schemas: [String: JSONValue]
        var literalCount: Int { segments.count { $0.first != "{" } }
    }

    private let templates: [Template]
    private let root: JSONValue

    init(document: OpenAPIDocument) {
        root = document.root
        var templates: [Template] = []
        for (path, item) in (document.root.objectValue?["paths"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            var schemas: [String: JSONValue] = [:]
            for (method, operation) in item.objectValue ?? [:] where OpenAPIDocument.methods.contains(method) {
                var body = operation.objectValue?["requestBody"]
                if let reference = body?.objectValue?["$ref"]?.stringValue { body = JSONSchemaValidator.resolve(reference, in: document.root) }
                if let schema = body?.objectValue?["content"]?.objectValue?["application/json"]?.objectValue?["schema"] {
                    schemas[method.uppercased()] = schema
                }
            }
            if !schemas.isEmpty {
                templates.append(Template(segments: path.split(separator: "/", omittingEmptySubsequences: true), schemas: schemas))
            }
        }
        self.templates = templates.sorted { $0.literalCount > $1.literalCount }
    }

    /// The documented JSON body schema of `method` on `path`, the most literal template first (as the router picks).
    func schema(method: String, path: String) -> JSONValue? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for template in templates where template.segments.count == segments.count
            && zip(template.segments, segments).allSatisfy({ pattern, segment in pattern.first == "{" || pattern == segment }) {
            if let schema = template.schemas[method] { return schema }
        }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !templates.isEmpty, let contentType = request.headers[.contentType]?.lowercased(),
              contentType.hasPrefix("application/json") || contentType.contains("+json"),
              let schema = schema(method: request.method.rawValue, path: request.uri.path)
        else { return try await next(request, context) }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        var request = request
        request.body = RequestBody(buffer: buffer)
        if let json = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) {
            var errors: [FieldError] = []
            Self.strayMembers(json, of: schema, root: root, path: "", into: &errors)
            if !errors.isEmpty { throw Problem.validation(errors) }
        }
        return try await next(request, context)
    }

    /// Adds an error for every member of `value` that `schema` (a JSON Schema as the document writes it) does not
    /// name in a closed object, and for every `null` its schema does not allow.
    static func strayMembers(_ value: JSONValue, of schema: JSONValue, root: JSONValue, path: String, into errors: inout [FieldError]) {
        var schema = schema
        for _ in 0..<16 {
            guard let reference = schema.objectValue?["$ref"]?.stringValue, let target = JSONSchemaValidator.resolve(reference, in: root) else { break }
            schema = target
        }
        guard let keywords = schema.objectValue else { return }
        switch value {
        case .object(let members):
            let properties = keywords["properties"]?.objectValue ?? [:]
            let closed = keywords["additionalProperties"] == .bool(false)
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? name : path + "." + name
                guard let property = properties[name] else {
                    if closed {
                        // A member with an empty name is reported on the object that holds it (a field is never "").
                        errors.append(name.isEmpty
                            ? FieldError(field: path.isEmpty ? "body" : path, reason: "has a member with an empty name")
                            : FieldError(field: field, reason: "is not a known field"))
                    }
                    continue
                }
                if case .null = member {
                    if !allowsNull(property, root: root) {
                        errors.append(FieldError(field: field, reason: "must not be null (leave an optional field out)"))
                    }
                    continue
                }
                strayMembers(member, of: property, root: root, path: field, into: &errors)
            }
        case .array(let elements):
            guard let items = keywords["items"] else { return }
            for (index, element) in elements.enumerated() {
                strayMembers(element, of: items, root: root, path: "\(path)[\(index)]", into: &errors)
            }
        default:
            break
        }
    }

    private static func allowsNull(_ schema: JSONValue, root: JSONValue) -> Bool {
        var schema = schema
        if let reference = schema.objectValue?["$ref"]?.stringValue, let target = JSONSchemaValidator.resolve(reference, in: root) { schema = target }
        guard let keywords = schema.objectValue else { return true }
        switch keywords["type"] {
        case .string(let name)?: return name == "null"
        case .array(let names)?: return names.contains(.string("null"))
        case nil:
            // No type: an enum or const decides; a schema without either (`{}`) allows anything.
            if let allowed = keywords["enum"]?.arrayValue { return allowed.contains(.null) }
            if let constant = keywords["const"] { return constant == .null }
            if keywords["oneOf"] != nil || keywords["anyOf"] != nil { return true }
            return true
        default: return true
        }
    }
}
