import Contracts
import Foundation
import ServiceHost
import Testing

/// The compose deployment's Kafka ACLs (deploy/compose/kafka-setup/acls.txt) agree with the service definitions:
/// each service's principal writes exactly its own topics and the dead-letter topics of what it consumes, reads
/// exactly what it consumes, and reads its consumer group.
@Suite struct KafkaACLTests {
    struct Grant: Hashable {
        var principal: String
        var resource: String
        var pattern: String
        var operation: String
        var name: String
    }

    static func grants() throws -> Set<Grant> {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        let text = try String(
            contentsOf: directory.appendingPathComponent("deploy/compose/kafka-setup/acls.txt"), encoding: .utf8)
        var grants = Set<Grant>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 5 else { continue }
            for operation in fields[3].split(separator: ",") {
                for name in fields[4...] {
                    grants.insert(Grant(principal: fields[0], resource: fields[1], pattern: fields[2],
                                        operation: String(operation), name: name))
                }
            }
        }
        return grants
    }

    @Test func eachServiceWritesItsOwnTopicsAndReadsWhatItConsumesAndNothingElse() throws {
        let grants = try Self.grants()
        for definition in allServices {
            let principal = definition.executableName
            let mine = grants.filter { $0.principal == principal }
            func names(_ operation: String) -> Set<String> {
                Set(mine.filter { $0.resource == "topic" && $0.operation == operation }.map(\.name))
            }
            #expect(mine.allSatisfy { $0.pattern == "literal" }, "\(principal): literal names only")
            #expect(names("Write") == Set(definition.owns.map(\.name) + definition.consumes.map(\.deadLetter)), "\(principal) writes")
            #expect(names("Read") == Set(definition.consumes.map(\.name)), "\(principal) reads")
            #expect(names("Create") == names("Write").union(names("Read")), "\(principal) creates what it provisions")
            #expect(names("Describe") == names("Write").union(names("Read")), "\(principal) describes")
            #expect(Set(mine.filter { $0.resource == "group" }.map { "\($0.operation) \($0.name)" }) == ["Read gbm-\(principal)"])
            #expect(Set(mine.map(\.operation)).isSubset(of: ["Read", "Write", "Describe", "Create"]))
        }
    }

    @Test func partnersReadEveryPublishedTopicAndWriteNone() throws {
        let grants = try Self.grants()
        let partner = grants.filter { $0.principal == "@partner" }
        #expect(Set(partner.filter { $0.resource == "topic" && $0.operation == "Read" }.map(\.name))
                == Set(EventCatalogue.topics.map(\.name)))
        #expect(Set(partner.map(\.operation)) == ["Read", "Describe"])
        #expect(partner.filter { $0.resource == "group" }.map { "\($0.pattern) \($0.name)" } == ["prefixed @partner."])
        let operators = grants.filter { $0.principal == "gbm-ops" }
        #expect(Set(operators.filter { $0.operation == "Read" }.map(\.name)) == Set(EventCatalogue.topics.map(\.deadLetter)))
        #expect(Set(operators.filter { $0.operation == "Write" }.map(\.name)) == Set(EventCatalogue.topics.map(\.name)),
                "gbm-ops replays dead letters into the topics, and reads no topic but the dead-letter ones")
    }
}
