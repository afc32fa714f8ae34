import Contracts
import Foundation
import TestSupport
import Testing

/// The AsyncAPI document says of every message whether it is produced today; that is checked against the code: a
/// produced type is built by its owning service's sources (a payload the service never constructs is never
/// published), and a planned one is not.
@Suite struct EventStatusTests {
    static let directories: [ServiceName: String] = [
        .catalogue: "Catalogue", .pilot: "PilotManagement", .subsidy: "Subsidy", .complaints: "Complaints",
        .reporting: "Reporting",
    ]

    /// The Swift sources of a service, without its OpenAPI description (which may name types without making them).
    static func sources(of service: ServiceName) throws -> String {
        let directory = RepositoryFiles.root.appendingPathComponent("Services/\(try #require(directories[service]))")
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" && !$0.lastPathComponent.contains("OpenAPI") } ?? []
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func everyProducedTypeIsMadeByItsOwnerAndEveryPlannedOneIsNot() throws {
        var sources: [ServiceName: String] = [:]
        for payloadType in EventCatalogue.payloadTypes {
            let type = payloadType.eventType
            let owner = type.topic.owner
            if sources[owner] == nil { sources[owner] = try Self.sources(of: owner) }
            let name = String(describing: payloadType)
            // `Name(` (an initialiser call) or `Name.init` / `Name.example`-free construction sites.
            let made = sources[owner]!.contains("\(name)(") || sources[owner]!.contains("\(name).init(")
            switch type.status {
            case .produced: #expect(made, "\(type.name) is marked produced, but \(owner.rawValue) never builds a \(name)")
            case .planned: #expect(!made, "\(type.name) is marked planned, but \(owner.rawValue) builds a \(name)")
            }
        }
        let yaml = try RepositoryFiles.text("contracts/asyncapi.yaml")
        #expect(yaml.components(separatedBy: "x-gbm-status:").count - 1 == EventCatalogue.payloadTypes.count,
                "every message of contracts/asyncapi.yaml states its status")
    }
}
