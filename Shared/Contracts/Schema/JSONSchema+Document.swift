extension JSONSchema {
    public static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    /// This schema as JSON.
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let description { members["description"] = .string(description) }
        switch kind {
        case .string(let format, let pattern, let minLength, let maxLength, let allowed):
            members["type"] = "string"
            if let format { members["format"] = .string(format.rawValue) }
            if let pattern { members["pattern"] = .string(pattern) }
            if let minLength { members["minLength"] = .integer(Int64(minLength)) }
            if let maxLength { members["maxLength"] = .integer(Int64(maxLength)) }
            if let allowed { members["enum"] = .array(allowed.map(JSONValue.string)) }
        case .integer(let minimum, let maximum):
            members["type"] = "integer"
            if let minimum { members["minimum"] = .integer(minimum) }
            if let maximum { members["maximum"] = .integer(maximum) }
        case .boolean:
            members["type"] = "boolean"
        case .array(let items, let minItems, let uniqueItems):
            members["type"] = "array"
            members["items"] = items.json
            if let minItems { members["minItems"] = .integer(Int64(minItems)) }
            if uniqueItems { members["uniqueItems"] = true }
        case .object(let properties):
            members["type"] = "object"
            members["additionalProperties"] = false
            members["properties"] = .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.json) }))
            members["required"] = .array(properties.filter(\.isRequired).map { .string($0.name) })
        }
        return .object(members)
    }

    /// A complete schema document: this schema with `$schema`, `$id`, `title` and `description`.
    public func document(id: String, title: String, description: String) -> JSONValue {
        var members = json.objectValue ?? [:]
        members["$schema"] = .string(JSONSchema.draft202012)
        members["$id"] = .string(id)
        members["title"] = .string(title)
        members["description"] = .string(description)
        return .object(members)
    }

    /// The names of the properties of an object schema, in declaration order (empty for other kinds).
    public var propertyNames: [String] {
        if case .object(let properties) = kind { return properties.map(\.name) }
        return []
    }
}
