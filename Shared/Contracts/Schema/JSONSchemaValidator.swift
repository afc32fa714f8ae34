import Foundation

/// Validates JSON against the JSON Schema (draft 2020-12) keywords the contract uses.
///
/// Assertions: `type` (a name or a list), `enum`, `const`, `properties`, `required`, `additionalProperties`
/// (boolean or schema), `items`, `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`, `pattern`,
/// `minimum`, `maximum`, `format` (`date`, `date-time`, `uuid` are checked; other formats are annotations), and
/// `$ref` to a JSON Pointer within the document given as `root` (`#/components/schemas/Problem` in an OpenAPI
/// document), applied together with the keywords beside it.
/// Annotations: `$schema`, `$id`, `title`, `description`, `examples`, `default`, `deprecated`. Any other keyword
/// is reported as a violation rather than silently ignored.
public enum JSONSchemaValidator {
    static let annotationKeywords: Set<String> = ["$schema", "$id", "title", "description", "examples", "default", "deprecated", "$comment"]
    static let assertionKeywords: Set<String> = [
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "format", "$ref",
    ]

    /// Every violation of `schema` by `instance` (empty when it is valid); a `$ref` is a violation.
    public static func validate(_ instance: JSONValue, against schema: JSONValue) -> [SchemaViolation] {
        validate(instance, against: schema, root: nil)
    }

    /// Every violation of `schema` by `instance` (empty when it is valid). A `$ref` (`#/…`) is resolved in `root`,
    /// the document the schema is part of; without one, every `$ref` is a violation.
    public static func validate(_ instance: JSONValue, against schema: JSONValue, root: JSONValue?) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        validate(instance, schema, path: "", root: root, depth: 0, into: &violations)
        return violations
    }

    /// The value `reference` (`#/a/b~1c`, a JSON Pointer as a URI fragment) points at in `root`.
    public static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var value = root
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let name = (token.removingPercentEncoding ?? String(token))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch value {
            case .object(let members):
                guard let member = members[name] else { return nil }
                value = member
            case .array(let elements):
                guard let index = Int(name), elements.indices.contains(index) else { return nil }
                value = elements[index]
            default:
                return nil
            }
        }
        return value
    }

    private static func validate(
        _ instance: JSONValue, _ schema: JSONValue, path: String, root: JSONValue?, depth: Int,
        into violations: inout [SchemaViolation]
    ) {
        func fail(_ message: String) { violations.append(SchemaViolation(path: path, message: message)) }
        func validate(_ instance: JSONValue, _ schema: JSONValue, path: String, into violations: inout [SchemaViolation]) {
            Self.validate(instance, schema, path: path, root: root, depth: depth + 1, into: &violations)
        }
        let subject = path.isEmpty ? "the document" : "'\(path.split(separator: "/").last.map(String.init) ?? path)'"

        switch schema {
        case .bool(true): return
        case .bool(false): fail("\(subject) is not allowed"); return
        case .object: break
        default: fail("schema is not an object or boolean"); return
        }
        let keywords = schema.objectValue!
        for keyword in keywords.keys.sorted() where !annotationKeywords.contains(keyword) && !assertionKeywords.contains(keyword) {
            fail("unsupported schema keyword '\(keyword)'")
        }
        if let reference = keywords["$ref"] {
            guard let text = reference.stringValue, let root, let target = resolve(text, in: root) else {
                fail("schema $ref \(reference.serialized()) does not resolve")
                return
            }
            guard depth < 64 else { fail("schema $ref \(text) nests too deep"); return }
            validate(instance, target, path: path, into: &violations)
        }

        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            let matches = allowed.contains { name in
                name == instance.typeName || (name == "number" && instance.typeName == "integer")
                    || (name == "integer" && instance.integerValue != nil && instance.typeName == "number")
            }
            if !matches {
                fail("\(subject) must be \(allowed.map(article).joined(separator: " or ")), found \(instance.typeName)")
                return
            }
        }
        if let allowed = keywords["enum"]?.arrayValue, !allowed.contains(instance) {
            fail("\(subject) is \(instance.serialized()), not one of \(allowed.map { $0.serialized() }.joined(separator: ", "))")
        }
        if let constant = keywords["const"], constant != instance {
            fail("\(subject) must be \(constant.serialized())")
        }

        switch instance {
        case .string(let text):
            let length = text.unicodeScalars.count
            if let minimum = keywords["minLength"]?.integerValue, length < minimum {
                fail("\(subject) is shorter than \(minimum) characters")
            }
            if let maximum = keywords["maxLength"]?.integerValue, length > maximum {
                fail("\(subject) is longer than \(maximum) characters")
            }
            if let pattern = keywords["pattern"]?.stringValue {
                if let regex = try? Regex(pattern) {
                    if !text.contains(regex) { fail("\(subject) '\(text)' does not match \(pattern)") }
                } else {
                    fail("schema pattern \(pattern) is not a regular expression")
                }
            }
            if let format = keywords["format"]?.stringValue, !conforms(text, to: format) {
                fail("\(subject) '\(text)' is not a valid \(format)")
            }
        case .integer, .number:
            let value: Double = if case .integer(let integer) = instance { Double(integer) } else if case .number(let number) = instance { number } else { 0 }
            if let minimum = number(keywords["minimum"]), value < minimum {
                fail("\(subject) is below the minimum \(keywords["minimum"]!.serialized())")
            }
            if let maximum = number(keywords["maximum"]), value > maximum {
                fail("\(subject) is above the maximum \(keywords["maximum"]!.serialized())")
            }
        case .array(let elements):
            if let minimum = keywords["minItems"]?.integerValue, elements.count < minimum {
                fail("\(subject) has fewer than \(minimum) items")
            }
            if let maximum = keywords["maxItems"]?.integerValue, elements.count > maximum {
                fail("\(subject) has more than \(maximum) items")
            }
            if keywords["uniqueItems"] == .bool(true), Set(elements).count != elements.count {
                fail("\(subject) has duplicate items")
            }
            if let items = keywords["items"] {
                for (index, element) in elements.enumerated() {
                    validate(element, items, path: "\(path)/\(index)", into: &violations)
                }
            }
        case .object(let members):
            for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                fail("missing required property '\(name)'")
            }
            let properties = keywords["properties"]?.objectValue ?? [:]
            for name in members.keys.sorted() {
                let memberPath = path + "/" + escape(name)
                if let propertySchema = properties[name] {
                    validate(members[name]!, propertySchema, path: memberPath, into: &violations)
                } else if let additional = keywords["additionalProperties"] {
                    if additional == .bool(false) {
                        fail("property '\(name)' is not allowed (additionalProperties is false)")
                    } else {
                        validate(members[name]!, additional, path: memberPath, into: &violations)
                    }
                }
            }
        case .null, .bool:
            break
        }
    }

    private static func article(_ type: String) -> String {
        ["array", "integer", "object"].contains(type) ? "an \(type)" : "a \(type)"
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    private static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func conforms(_ text: String, to format: String) -> Bool {
        switch format {
        case "date": CalendarDate(text) != nil
        case "date-time": InternetDateTime.date(from: text) != nil
        case "uuid": text.utf8.count == 36 && UUID(uuidString: text) != nil
        default: true
        }
    }
}
