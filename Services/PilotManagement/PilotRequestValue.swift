import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Parses path values into domain types, the way every pilot route does.
enum RequestValue {
    /// A path id; anything that is not a UUID names nothing, so it is a 404 of the given kind.
    static func uuid(_ text: String, notFound: (String) -> PilotError) throws(PilotError) -> UUID {
        guard let id = UUID(uuidString: text) else { throw notFound(text) }
        return id
    }

    /// The path's `:code` as a division code; a malformed one is a 422 naming `regionCode`.
    static func regionCode(_ context: AppRequestContext) throws -> DivisionCode {
        var validator = Validator()
        let code = validator.divisionCode(try context.parameters.require("code"), field: "regionCode")
        try validator.validate()
        return code!
    }
}

extension RequestValue {
    /// Adds an error for every member of `value` that `schema` does not name, and for every `null` member (an
    /// optional member is left out, never null), named like the routes' own fields (`workPlan.title`,
    /// `safetyPlan.responsiblePersons[0].name`).
    static func strayMembers(_ value: JSONValue, of schema: JSONSchema, path: String, into errors: inout [FieldError]) {
        switch (schema.kind, value) {
        case (.object(let properties), .object(let members)):
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? name : path + "." + name
                guard let property = properties.first(where: { $0.name == name }) else {
                    // A member with an empty name is reported on the object that holds it (a field is never "").
                    errors.append(name.isEmpty
                        ? FieldError(field: path.isEmpty ? "body" : path, reason: "has a member with an empty name")
                        : FieldError(field: field, reason: "is not a known field"))
                    continue
                }
                if case .null = member {
                    errors.append(FieldError(field: field, reason: "must not be null (leave an optional field out)"))
                    continue
                }
                strayMembers(member, of: property.schema, path: field, into: &errors)
            }
        case (.array(let items, _, _), .array(let elements)):
            for (index, element) in elements.enumerated() {
                strayMembers(element, of: items, path: "\(path)[\(index)]", into: &errors)
            }
        default:
            break
        }
    }
}

extension Request {
    /// The JSON body as `T`, refused (422 naming each field) where its documented schema is stricter than
    /// `Decodable`: a member the schema does not name, or `null` for an optional member. Malformed JSON and missing
    /// or mistyped members are reported by the context's decoder first, as everywhere.
    func decode<T: Decodable>(as type: T.Type, schema: JSONSchema, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let decoded = try ProblemReportingJSONDecoder().decode(T.self, from: buffer)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        var errors: [FieldError] = []
        RequestValue.strayMembers(json, of: schema, path: "", into: &errors)
        if !errors.isEmpty { throw Problem.validation(errors) }
        return decoded
    }
}
