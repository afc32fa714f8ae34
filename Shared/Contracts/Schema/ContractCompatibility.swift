/// A change to the published contract that would break a consumer or make events already published invalid.
public struct BreakingChange: Sendable, Hashable, CustomStringConvertible {
    /// The topic or event type concerned.
    public var subject: String
    /// The field concerned (`eligibleGrades[]`, `""` for the whole schema or topic).
    public var field: String
    public var message: String

    public init(subject: String, field: String = "", message: String) {
        self.subject = subject
        self.field = field
        self.message = message
    }

    public var description: String {
        [subject, field].filter { !$0.isEmpty }.joined(separator: " · ") + ": " + message
    }
}

/// The compatibility policy of the contract, as a check between the released baseline and the current code.
///
/// Within a major version (`.v1`) a change must be **additive**: every event valid under the released schema must
/// stay valid, and nothing a consumer reads may disappear. Allowed: a new topic, a new event type, a new optional
/// property, a new enum value, a looser bound or pattern removed. Breaking: a topic or event type removed or
/// moved to another topic, a topic's owner or key changed, a property removed, a property newly required, a type
/// changed, a format or pattern added or changed, an enum value removed (or an enum added), a bound tightened,
/// `uniqueItems` added. A breaking change needs a new major version (`.v2` topic and type names).
public enum ContractCompatibility {
    /// Breaking changes between a released contract and the current one.
    public static func breakingChanges(from baseline: ContractSnapshot, to current: ContractSnapshot) -> [BreakingChange] {
        var changes: [BreakingChange] = []
        let currentTopics = Dictionary(uniqueKeysWithValues: current.topics.map { ($0.name, $0) })
        var currentTopicOfType: [String: String] = [:]
        for topic in current.topics { for type in topic.eventTypes { currentTopicOfType[type] = topic.name } }

        for old in baseline.topics {
            guard let new = currentTopics[old.name] else {
                changes.append(BreakingChange(subject: old.name, message: "topic removed"))
                continue
            }
            if new.owner != old.owner {
                changes.append(BreakingChange(subject: old.name, message: "owner changed from \(old.owner) to \(new.owner)"))
            }
            if new.key != old.key {
                changes.append(BreakingChange(subject: old.name, message: "record key changed from '\(old.key)' to '\(new.key)'"))
            }
            for type in old.eventTypes {
                switch currentTopicOfType[type] {
                case nil: changes.append(BreakingChange(subject: type, message: "event type removed"))
                case old.name?: break
                case let other?: changes.append(BreakingChange(subject: type, message: "event type moved from \(old.name) to \(other)"))
                }
            }
        }
        for (type, oldSchema) in baseline.schemas.sorted(by: { $0.key < $1.key }) {
            guard let newSchema = current.schemas[type] else {
                if currentTopicOfType[type] != nil {
                    changes.append(BreakingChange(subject: type, message: "schema removed"))
                } else if !baseline.topics.contains(where: { $0.eventTypes.contains(type) }) {
                    changes.append(BreakingChange(subject: type, message: "event type removed"))
                }
                continue
            }
            changes += breakingChanges(from: oldSchema, to: newSchema).map {
                BreakingChange(subject: type, field: $0.field, message: $0.message)
            }
        }
        return changes
    }

    /// Breaking changes between two versions of one schema (subjects are empty; fields name the property).
    public static func breakingChanges(from old: JSONValue, to new: JSONValue) -> [BreakingChange] {
        var changes: [BreakingChange] = []
        compare(old, new, field: "", into: &changes)
        return changes
    }

    private static func compare(_ old: JSONValue, _ new: JSONValue, field: String, into changes: inout [BreakingChange]) {
        func breaking(_ message: String, at path: String? = nil) {
            changes.append(BreakingChange(subject: "", field: path ?? field, message: message))
        }
        guard let oldKeywords = old.objectValue, let newKeywords = new.objectValue else {
            if old != new { breaking("schema changed from \(old.serialized()) to \(new.serialized())") }
            return
        }

        let oldTypes = typeSet(oldKeywords["type"])
        let newTypes = typeSet(newKeywords["type"])
        if oldTypes != newTypes {
            breaking("type changed from \(describe(oldTypes)) to \(describe(newTypes))")
            return
        }
        for keyword in ["format", "pattern"] where newKeywords[keyword] != nil && newKeywords[keyword] != oldKeywords[keyword] {
            let from = oldKeywords[keyword].map { $0.serialized() } ?? "none"
            breaking("\(keyword) changed from \(from) to \(newKeywords[keyword]!.serialized())")
        }
        if let newEnum = newKeywords["enum"]?.arrayValue {
            if let oldEnum = oldKeywords["enum"]?.arrayValue {
                for value in oldEnum where !newEnum.contains(value) {
                    breaking("enum value \(value.serialized()) removed")
                }
            } else {
                breaking("enum constraint added")
            }
        }
        if let newConst = newKeywords["const"], newConst != oldKeywords["const"] {
            breaking("const changed to \(newConst.serialized())")
        }
        for keyword in ["minimum", "minLength", "minItems"] {
            if let newBound = bound(newKeywords[keyword]), newBound > (bound(oldKeywords[keyword]) ?? -.infinity) {
                breaking("\(keyword) raised to \(newKeywords[keyword]!.serialized())")
            }
        }
        for keyword in ["maximum", "maxLength", "maxItems"] {
            if let newBound = bound(newKeywords[keyword]), newBound < (bound(oldKeywords[keyword]) ?? .infinity) {
                breaking("\(keyword) lowered to \(newKeywords[keyword]!.serialized())")
            }
        }
        if newKeywords["uniqueItems"] == .bool(true), oldKeywords["uniqueItems"] != .bool(true) {
            breaking("uniqueItems added")
        }

        let oldProperties = oldKeywords["properties"]?.objectValue ?? [:]
        let newProperties = newKeywords["properties"]?.objectValue ?? [:]
        let oldRequired = Set(oldKeywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let newRequired = newKeywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for name in oldProperties.keys.sorted() {
            let path = join(field, name)
            guard let newProperty = newProperties[name] else {
                breaking("property removed", at: path)
                continue
            }
            compare(oldProperties[name]!, newProperty, field: path, into: &changes)
        }
        for name in newRequired where !oldRequired.contains(name) {
            breaking(oldProperties[name] == nil ? "new property is required" : "property newly required", at: join(field, name))
        }
        if let oldItems = oldKeywords["items"], let newItems = newKeywords["items"] {
            compare(oldItems, newItems, field: field + "[]", into: &changes)
        }
    }

    private static func join(_ field: String, _ name: String) -> String {
        field.isEmpty ? name : field + "." + name
    }

    private static func typeSet(_ value: JSONValue?) -> Set<String> {
        Set(value?.arrayValue?.compactMap(\.stringValue) ?? value?.stringValue.map { [$0] } ?? [])
    }

    private static func describe(_ types: Set<String>) -> String {
        types.isEmpty ? "any" : types.sorted().joined(separator: "|")
    }

    private static func bound(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }
}
