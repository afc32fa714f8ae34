import Contracts
import Foundation
import TestSupport
import Testing

/// The committed files stay what the code generates.
@Suite struct ContractFilesTests {
    @Test func committedContractFilesEqualTheGeneratedOnes() {
        let differences = ContractDocuments.differences(in: RepositoryFiles.contracts)
        #expect(differences.isEmpty, "run `swift run gbm-contracts generate` and commit: \(differences)")
    }

    @Test func oneSchemaFilePerContractEventTypeAndNoneForThePlatform() {
        let files = ContractDocuments.generate()
        for type in EventCatalogue.eventTypes {
            #expect(files["schemas/\(type.name).json"] != nil, "\(type.name)")
        }
        #expect(files["schemas/gbm.platform.probe.sent.v1.json"] == nil)
        #expect(files.keys.filter { $0.hasPrefix("schemas/") }.count == EventCatalogue.eventTypes.count)
    }

    @Test func schemaFilesAreDraft202012AndClosed() throws {
        let document = CertificateIssued.schemaDocument
        #expect(document["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(document["$id"] == "urn:gbm:event:gbm.catalogue.certificate.issued.v1")
        #expect(document["additionalProperties"] == false)
        #expect(document["properties"]?["starGrade"]?["enum"] == ["one-star", "two-star", "three-star"])
        #expect(document["properties"]?["expiresOn"]?["format"] == "date")
        #expect(document["required"]?.arrayValue?.contains("certificateNumber") == true)
        #expect(document["required"]?.arrayValue?.contains("factoryName") == false)
        #expect(ClaimSubmitted.schemaDocument["properties"]?["purchaseAmount"]?["type"] == "integer")
    }

    @Test func asyncAPIDocumentHasAChannelMessageAndSendOperationPerTopic() throws {
        let yaml = AsyncAPIDocument.yaml
        #expect(yaml.hasPrefix("asyncapi: \"3.0.0\"\n"))
        for topic in EventCatalogue.topics {
            #expect(yaml.contains("\n  \(topic.name):\n    address: \(topic.name)\n"), "\(topic.name)")
            #expect(yaml.contains("\n  send.\(topic.name):\n    action: send\n"), "\(topic.name)")
        }
        for type in EventCatalogue.eventTypes {
            #expect(yaml.contains("\n    \(type.name):\n      name: \(type.name)\n"), "\(type.name)")
            #expect(yaml.contains("$ref: schemas/\(type.name).json"), "\(type.name)")
        }
        #expect(!yaml.contains("gbm.platform"))
    }

    @Test func seedCalendarFileIsTheBuiltInCalendar() throws {
        let url = RepositoryFiles.root.appendingPathComponent("seeds/calendar/2023.json")
        #expect(try WorkingDayCalendar(contentsOf: url) == WorkingDayCalendar.china2023)
    }

    @Test func eventsGuideNamesEveryTopicAndEventType() throws {
        let guide = try RepositoryFiles.text("docs/events.md")
        for topic in EventCatalogue.topics { #expect(guide.contains(topic.name), "\(topic.name)") }
        for type in EventCatalogue.eventTypes { #expect(guide.contains(type.name), "\(type.name)") }
    }
}
