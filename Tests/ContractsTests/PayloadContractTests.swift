import Contracts
import Foundation
import Testing

/// Every payload type against its own schema, and the catalogue's naming rules.
@Suite struct PayloadContractTests {
    static let allPayloadTypes: [any EventPayload.Type] = EventCatalogue.payloadTypes + EventCatalogue.platformPayloadTypes

    static func exampleJSON(_ type: any EventPayload.Type) throws -> JSONValue {
        try JSONValue(parsing: ContractJSON.encode(type.example))
    }

    @Test("every example validates against its schema", arguments: EventCatalogue.allEventTypes.map(\.name))
    func exampleValidatesAgainstSchema(typeName: String) throws {
        let type = try #require(EventCatalogue.payloadType(named: typeName))
        let violations = type.validate(json: try ContractJSON.encode(type.example))
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("every example decodes back to an equal value", arguments: EventCatalogue.allEventTypes.map(\.name))
    func exampleRoundTrips(typeName: String) throws {
        let type = try #require(EventCatalogue.payloadType(named: typeName))
        #expect(try roundTrips(type))
    }

    private func roundTrips<P: EventPayload>(_ type: P.Type) throws -> Bool {
        let decoded = try ContractJSON.decode(P.self, from: try ContractJSON.encode(P.example))
        return decoded == P.example
    }

    @Test("every schema property is exercised by the example, so the schema cannot name a field the type lacks",
          arguments: EventCatalogue.allEventTypes.map(\.name))
    func examplesCoverEverySchemaProperty(typeName: String) throws {
        let type = try #require(EventCatalogue.payloadType(named: typeName))
        let keys = Set(try Self.exampleJSON(type).objectValue?.keys.map { $0 } ?? [])
        #expect(Set(type.schema.propertyNames) == keys)
    }

    @Test func missingRequiredFieldFailsNamingTheField() throws {
        guard case .object(var members) = try Self.exampleJSON(ClaimSubmitted.self) else { Issue.record("not an object"); return }
        members["purchaseAmount"] = nil
        let violations = ClaimSubmitted.validate(json: Array(JSONValue.object(members).serialized().utf8))
        #expect(violations.count == 1)
        #expect(violations.first?.description.contains("purchaseAmount") == true)
        #expect(violations.first?.message == "missing required property 'purchaseAmount'")
    }

    @Test func wrongTypeFailsNamingTheField() throws {
        guard case .object(var members) = try Self.exampleJSON(ClaimSubmitted.self) else { Issue.record("not an object"); return }
        members["purchaseAmount"] = "1286000"
        let violations = ClaimSubmitted.validate(json: Array(JSONValue.object(members).serialized().utf8))
        #expect(violations.map(\.path) == ["/purchaseAmount"])
        #expect(violations.first?.message == "'purchaseAmount' must be an integer, found string")
    }

    @Test func moneyAsAFractionIsRejected() throws {
        guard case .object(var members) = try Self.exampleJSON(ClaimPaid.self) else { Issue.record("not an object"); return }
        members["amount"] = .number(1929.5)
        let violations = ClaimPaid.validate(json: Array(JSONValue.object(members).serialized().utf8))
        #expect(violations.map(\.path) == ["/amount"])
    }

    @Test func unknownPropertyAndBadEnumAndBadFormatAreEachReported() throws {
        guard case .object(var members) = try Self.exampleJSON(ProgrammeApproved.self) else { Issue.record("not an object"); return }
        members["phoneNumber"] = "13800000000"
        members["fundingShares"] = [["level": "central", "basisPoints": 8000], ["level": "galactic", "basisPoints": 2000]]
        members["startsOn"] = "2023-02-30"
        let violations = ProgrammeApproved.validate(json: Array(JSONValue.object(members).serialized().utf8))
        let text = violations.map(\.description).joined(separator: "\n")
        #expect(violations.count == 3, "\(text)")
        #expect(text.contains("property 'phoneNumber' is not allowed"))
        #expect(text.contains("/fundingShares/1/level"))
        #expect(text.contains("'startsOn' '2023-02-30' is not a valid date"))
    }

    @Test func patternAndBoundViolationsAreReported() throws {
        guard case .object(var members) = try Self.exampleJSON(ClaimApproved.self) else { Issue.record("not an object"); return }
        members["consumerRef"] = "13800000000"
        members["approvedAmount"] = -1
        let violations = ClaimApproved.validate(json: Array(JSONValue.object(members).serialized().utf8))
        #expect(violations.map(\.path) == ["/approvedAmount", "/consumerRef"])
        #expect(violations.first?.message == "'approvedAmount' is below the minimum 0")
        #expect(violations.last?.message == "'consumerRef' '13800000000' does not match ^[0-9a-f]{64}$")
    }

    @Test func invalidCheckCharacterInPayloadFailsToDecode() throws {
        guard case .object(var members) = try Self.exampleJSON(EnterpriseRegistered.self) else { Issue.record("not an object"); return }
        members["creditCode"] = "91350100M000100Y4Z"
        #expect(throws: DecodingError.self) {
            try ContractJSON.decode(EnterpriseRegistered.self, from: Array(JSONValue.object(members).serialized().utf8))
        }
    }

    @Test func payloadEncodingFollowsTheWireRules() throws {
        let text = String(decoding: try ContractJSON.encode(ClaimSubmitted.example), as: UTF8.self)
        #expect(text.contains("\"purchaseAmount\":1286000"))
        #expect(text.contains("\"purchasedOn\":\"2023-07-08\""))
        #expect(text.contains("\"submittedAt\":\"2023-07-09T05:00:00.000Z\""))
        #expect(text.hasPrefix("{\"claimID\""), "keys sorted")
    }

    @Test func noPayloadHasAFieldForPersonalData() {
        let forbidden = ["phone", "mobile", "idnumber", "identity", "idcard", "personname", "consumername", "email"]
        for type in Self.allPayloadTypes {
            for name in type.schema.propertyNames {
                #expect(!forbidden.contains { name.lowercased().contains($0) }, "\(type.eventType.name).\(name)")
            }
        }
    }
}

@Suite struct EventCatalogueTests {
    @Test func namesFollowTheConventionAndAreUnique() throws {
        let topicPattern = try Regex("^gbm\\.([a-z]+)\\.[a-z]+(-[a-z]+)*\\.v[0-9]+$")
        let typePattern = try Regex("^gbm\\.([a-z]+)\\.[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*\\.v[0-9]+$")
        for topic in EventCatalogue.topics {
            #expect(topic.name.wholeMatch(of: topicPattern) != nil, "\(topic.name)")
            #expect(topic.name.hasPrefix("gbm.\(topic.owner.rawValue)."), "\(topic.name) is owned by \(topic.owner)")
            #expect(topic.deadLetter == topic.name + ".dlq")
            #expect(!topic.eventTypes.isEmpty, "\(topic.name) has no event types")
        }
        for type in EventCatalogue.eventTypes {
            #expect(type.name.wholeMatch(of: typePattern) != nil, "\(type.name)")
            #expect(EventCatalogue.topics.contains(type.topic), "\(type.name) is on an unlisted topic")
            #expect(type.name.split(separator: ".")[1] == type.topic.name.split(separator: ".")[1])
            #expect(type.name.split(separator: ".").last == type.topic.name.split(separator: ".").last)
        }
        #expect(Set(EventCatalogue.topics.map(\.name)).count == EventCatalogue.topics.count)
        #expect(Set(EventCatalogue.allEventTypes.map(\.name)).count == EventCatalogue.allEventTypes.count)
    }

    @Test func lookupsFindContractAndPlatformTypes() {
        #expect(EventCatalogue.eventType(named: "gbm.subsidy.claim.approved.v1") == ClaimApproved.eventType)
        #expect(EventCatalogue.eventType(named: "gbm.platform.probe.sent.v1")?.topic.name == "gbm.platform.probes.v1")
        #expect(EventCatalogue.eventType(named: "gbm.subsidy.claim.eaten.v1") == nil)
        #expect(EventCatalogue.topics(ownedBy: .catalogue).map(\.name)
            == ["gbm.catalogue.enterprises.v1", "gbm.catalogue.certificates.v1", "gbm.catalogue.local-lists.v1"])
        #expect(!EventCatalogue.topics.contains(.platformProbes))
        #expect(ServiceName.pilot.eventSource == "/gbm/pilot")
    }

    @Test func everyServiceOwnsATopic() {
        for service in ServiceName.allCases {
            #expect(!EventCatalogue.topics(ownedBy: service).isEmpty, "\(service)")
        }
    }

    @Test func keysAreTheAggregateIdentifiers() {
        #expect(CertificateRevoked.example.aggregateID == "CGBM-2023-SD-001234")
        #expect(LocalListEntryAdded.example.aggregateID == "330000")
        #expect(EnterpriseRegistered.example.aggregateID == "91330100MA2B7K3L5R")
    }
}
