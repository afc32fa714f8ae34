/// A YAML document tree with ordered mappings, and a block-style writer for it: just enough YAML to write the
/// AsyncAPI document deterministically.
public indirect enum YAMLNode: Sendable, Hashable {
    /// A string, written plain when that is unambiguous, otherwise double-quoted.
    case string(String)
    /// A number, boolean or null, written as is.
    case literal(String)
    case mapping([Entry])
    case sequence([YAMLNode])

    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: YAMLNode

        public init(_ key: String, _ value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// A JSON value as YAML (object keys sorted).
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .literal("null")
        case .bool(let value): self = .literal(value ? "true" : "false")
        case .integer(let value): self = .literal(String(value))
        case .number: self = .literal(json.serialized())
        case .string(let value): self = .string(value)
        case .array(let elements): self = .sequence(elements.map(YAMLNode.init))
        case .object(let members): self = .mapping(members.keys.sorted().map { Entry($0, YAMLNode(members[$0]!)) })
        }
    }

    /// The document text, ending with a newline.
    public var text: String {
        var lines: [String] = []
        switch self {
        case .mapping(let entries) where !entries.isEmpty: YAMLNode.write(entries, indent: 0, into: &lines)
        case .sequence(let items) where !items.isEmpty: YAMLNode.write(items, indent: 0, into: &lines)
        default: lines.append(inline ?? "")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The node on one line, when it is a scalar or an empty collection.
    private var inline: String? {
        switch self {
        case .string(let value): YAMLNode.scalar(value)
        case .literal(let value): value
        case .mapping(let entries): entries.isEmpty ? "{}" : nil
        case .sequence(let items): items.isEmpty ? "[]" : nil
        }
    }

    private static func write(_ entries: [Entry], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for entry in entries {
            let key = scalar(entry.key)
            if let inline = entry.value.inline {
                lines.append("\(pad)\(key): \(inline)")
            } else {
                lines.append("\(pad)\(key):")
                switch entry.value {
                case .mapping(let children): write(children, indent: indent + 2, into: &lines)
                case .sequence(let items): write(items, indent: indent + 2, into: &lines)
                default: break
                }
            }
        }
    }

    private static func write(_ items: [YAMLNode], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            if let inline = item.inline {
                lines.append("\(pad)- \(inline)")
                continue
            }
            var nested: [String] = []
            switch item {
            case .mapping(let children): write(children, indent: indent + 2, into: &nested)
            case .sequence(let children): write(children, indent: indent + 2, into: &nested)
            default: break
            }
            nested[0] = pad + "- " + nested[0].dropFirst(indent + 2)
            lines += nested
        }
    }

    private static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    /// A string as a plain scalar when it is unambiguously a string, otherwise double-quoted (JSON escapes are
    /// valid YAML escapes).
    static func scalar(_ value: String) -> String {
        let plainFirst = value.unicodeScalars.first.map { $0.isASCII && ($0.properties.isAlphabetic || $0 == "/" || $0 == "$" || $0 == "_") } ?? false
        let plainRest = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " ._-/$(),".unicodeScalars.contains(scalar))
        }
        if plainFirst, plainRest, !value.hasSuffix(" "), !reserved.contains(value.lowercased()) {
            return value
        }
        return JSONValue.quoted(value)
    }
}
