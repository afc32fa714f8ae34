import Foundation

/// The published shape of the contract: its topics (with their event types) and each event type's schema.
///
/// The code gives the current snapshot; `contracts/baseline/` holds the released one, in the same files that
/// `gbm-contracts generate` writes (`topics.json`, `schemas/<event type>.json`).
public struct ContractSnapshot: Sendable, Hashable {
    public struct TopicEntry: Sendable, Hashable, Codable {
        public var name: String
        public var owner: String
        public var partitions: Int
        public var key: String
        public var deadLetter: String
        public var eventTypes: [String]

        public init(name: String, owner: String, partitions: Int, key: String, deadLetter: String, eventTypes: [String]) {
            self.name = name
            self.owner = owner
            self.partitions = partitions
            self.key = key
            self.deadLetter = deadLetter
            self.eventTypes = eventTypes
        }
    }

    public var topics: [TopicEntry]
    /// Schema documents by event type name.
    public var schemas: [String: JSONValue]

    public init(topics: [TopicEntry], schemas: [String: JSONValue]) {
        self.topics = topics
        self.schemas = schemas
    }

    /// The contract as the code defines it now.
    public static var current: ContractSnapshot {
        ContractSnapshot(
            topics: EventCatalogue.topics.map { topic in
                TopicEntry(
                    name: topic.name, owner: topic.owner.rawValue, partitions: topic.partitions, key: topic.key,
                    deadLetter: topic.deadLetter, eventTypes: topic.eventTypes.map(\.name))
            },
            schemas: Dictionary(uniqueKeysWithValues: EventCatalogue.payloadTypes.map { ($0.eventType.name, $0.schemaDocument) }))
    }

    /// `topics.json`: `{"topics":[{"name",...,"eventTypes":[...]}]}`.
    public var topicsDocument: JSONValue {
        .object(["topics": .array(topics.map { topic in
            [
                "name": .string(topic.name), "owner": .string(topic.owner), "partitions": .integer(Int64(topic.partitions)),
                "key": .string(topic.key), "deadLetter": .string(topic.deadLetter),
                "eventTypes": .array(topic.eventTypes.map(JSONValue.string)),
            ]
        })])
    }

    /// Why a snapshot directory cannot be read.
    public struct LoadingError: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Reads a snapshot written in the generated layout (`<directory>/topics.json`, `<directory>/schemas/*.json`).
    public init(directory: URL) throws(LoadingError) {
        func read(_ url: URL) throws(LoadingError) -> JSONValue {
            do {
                return try JSONValue(parsing: Array(try Data(contentsOf: url)))
            } catch {
                throw LoadingError(reason: "cannot read \(url.path): \(error)")
            }
        }
        let topicsJSON = try read(directory.appendingPathComponent("topics.json"))
        guard let entries = topicsJSON["topics"]?.arrayValue else {
            throw LoadingError(reason: "\(directory.path)/topics.json has no \"topics\" array")
        }
        topics = try entries.map { entry throws(LoadingError) in
            guard let name = entry["name"]?.stringValue, let owner = entry["owner"]?.stringValue,
                  let types = entry["eventTypes"]?.arrayValue?.compactMap(\.stringValue)
            else { throw LoadingError(reason: "\(directory.path)/topics.json has a malformed topic entry") }
            return TopicEntry(
                name: name, owner: owner, partitions: Int(entry["partitions"]?.integerValue ?? 0),
                key: entry["key"]?.stringValue ?? "", deadLetter: entry["deadLetter"]?.stringValue ?? Topic.deadLetterName(of: name),
                eventTypes: types)
        }
        let schemaDirectory = directory.appendingPathComponent("schemas")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: schemaDirectory.path)) ?? []
        var schemas: [String: JSONValue] = [:]
        for file in names.sorted() where file.hasSuffix(".json") {
            schemas[String(file.dropLast(5))] = try read(schemaDirectory.appendingPathComponent(file))
        }
        self.schemas = schemas
    }
}
