import Contracts
import Foundation
import TestSupport
import Testing

/// The compatibility policy: the current contract against the released baseline, and the comparison itself.
@Suite struct CompatibilityTests {
    @Test func currentContractIsCompatibleWithTheReleasedBaseline() throws {
        let baseline = try ContractSnapshot(directory: RepositoryFiles.contracts.appendingPathComponent("baseline"))
        #expect(!baseline.topics.isEmpty)
        let changes = ContractCompatibility.breakingChanges(from: baseline, to: .current)
        #expect(changes.isEmpty, "\(changes.map(\.description).joined(separator: "\n"))")
    }

    @Test func identicalContractsHaveNoBreakingChange() {
        #expect(ContractCompatibility.breakingChanges(from: .current, to: .current).isEmpty)
    }

    // MARK: synthetic changes

    static let claim = ClaimSubmitted.schemaDocument

    static func modifying(_ schema: JSONValue, _ change: (inout [String: JSONValue], inout [String: JSONValue], inout [JSONValue]) -> Void) -> JSONValue {
        var members = schema.objectValue!
        var properties = members["properties"]!.objectValue!
        var required = members["required"]!.arrayValue!
        change(&members, &properties, &required)
        members["properties"] = .object(properties)
        members["required"] = .array(required)
        return .object(members)
    }

    static func messages(_ old: JSONValue, _ new: JSONValue) -> [String] {
        ContractCompatibility.breakingChanges(from: old, to: new).map(\.description)
    }

    @Test func removingAPropertyIsBreaking() {
        let new = Self.modifying(Self.claim) { _, properties, required in
            properties["invoiceNumber"] = nil
            required.removeAll { $0 == "invoiceNumber" }
        }
        #expect(Self.messages(Self.claim, new) == ["invoiceNumber: property removed"])
    }

    @Test func makingAnOptionalPropertyRequiredIsBreaking() {
        let new = Self.modifying(Self.claim) { _, _, required in required.append("invoiceCode") }
        #expect(Self.messages(Self.claim, new) == ["invoiceCode: property newly required"])
    }

    @Test func addingARequiredPropertyIsBreaking() {
        let new = Self.modifying(Self.claim) { _, properties, required in
            properties["channel"] = ["type": "string"]
            required.append("channel")
        }
        #expect(Self.messages(Self.claim, new) == ["channel: new property is required"])
    }

    @Test func changingATypeIsBreaking() {
        let new = Self.modifying(Self.claim) { _, properties, _ in
            properties["purchaseAmount"] = ["type": "string", "description": "as text"]
        }
        #expect(Self.messages(Self.claim, new) == ["purchaseAmount: type changed from integer to string"])
    }

    @Test func removingAnEnumValueIsBreakingButAddingOneIsNot() {
        let rejection = ClaimRejected.schemaDocument
        let all = ClaimRejectionReason.allCases.map { JSONValue.string($0.rawValue) }
        func withReasons(_ reasons: [JSONValue]) -> JSONValue {
            Self.modifying(rejection) { _, properties, _ in
                var codes = properties["reasonCodes"]!.objectValue!
                var items = codes["items"]!.objectValue!
                items["enum"] = .array(reasons)
                codes["items"] = .object(items)
                properties["reasonCodes"] = .object(codes)
            }
        }
        #expect(Self.messages(rejection, withReasons(all.filter { $0 != "duplicate-invoice" }))
            == ["reasonCodes[]: enum value \"duplicate-invoice\" removed"])
        #expect(Self.messages(rejection, withReasons(all + ["invoice-forged"])).isEmpty)
    }

    @Test func addingAnOptionalPropertyIsAllowed() {
        let new = Self.modifying(Self.claim) { _, properties, _ in
            properties["channel"] = ["type": "string"]
        }
        #expect(Self.messages(Self.claim, new).isEmpty)
    }

    @Test func tighteningABoundOrAddingAFormatIsBreakingLooseningIsNot() {
        let tighter = Self.modifying(Self.claim) { _, properties, _ in
            properties["purchaseAmount"] = ["type": "integer", "minimum": 100]
            properties["invoiceNumber"] = ["type": "string", "pattern": "^[0-9]{20}$"]
        }
        #expect(Set(Self.messages(Self.claim, tighter)) == [
            "purchaseAmount: minimum raised to 100", "invoiceNumber: pattern changed from \"^[0-9]{8,20}$\" to \"^[0-9]{20}$\"",
        ])
        let looser = Self.modifying(Self.claim) { _, properties, _ in
            properties["purchaseAmount"] = ["type": "integer"]
            properties["invoiceNumber"] = ["type": "string"]
        }
        #expect(Self.messages(Self.claim, looser).isEmpty)
    }

    @Test func removingATopicOrEventTypeOrMovingOneIsBreaking() {
        let baseline = ContractSnapshot.current
        var current = baseline
        current.topics.removeAll { $0.name == "gbm.complaints.reports.v1" }
        current.schemas["gbm.complaints.report.certification-violation-reported.v1"] = nil
        let index = current.topics.firstIndex { $0.name == "gbm.subsidy.claims.v1" }!
        current.topics[index].eventTypes.removeAll { $0 == "gbm.subsidy.claim.paid.v1" }
        let payments = current.topics.firstIndex { $0.name == "gbm.subsidy.payments.v1" }!
        current.topics[payments].eventTypes.removeAll { $0 == "gbm.subsidy.payment.failed.v1" }
        current.schemas["gbm.subsidy.payment.failed.v1"] = nil
        current.topics[index].eventTypes.removeAll { $0 == "gbm.subsidy.claim.clawed-back.v1" }
        current.topics[payments].eventTypes.append("gbm.subsidy.claim.clawed-back.v1")

        let changes = Set(ContractCompatibility.breakingChanges(from: baseline, to: current).map(\.description))
        #expect(changes.contains("gbm.complaints.reports.v1: topic removed"))
        #expect(changes.contains("gbm.subsidy.claim.paid.v1: event type removed"))
        #expect(changes.contains("gbm.subsidy.payment.failed.v1: event type removed"))
        #expect(changes.contains("gbm.subsidy.claim.clawed-back.v1: event type moved from gbm.subsidy.claims.v1 to gbm.subsidy.payments.v1"))
    }

    @Test func addingATopicAndEventTypeIsAllowed() {
        let baseline = ContractSnapshot.current
        var current = baseline
        current.topics.append(.init(
            name: "gbm.reporting.dashboards.v1", owner: "reporting", partitions: 1, key: "dashboard id",
            deadLetter: "gbm.reporting.dashboards.v1.dlq", eventTypes: ["gbm.reporting.dashboard.refreshed.v1"]))
        current.schemas["gbm.reporting.dashboard.refreshed.v1"] = ["type": "object"]
        #expect(ContractCompatibility.breakingChanges(from: baseline, to: current).isEmpty)
    }

    @Test func snapshotSurvivesTheFileRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contracts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try ContractDocuments.writeBaseline(to: directory)
        let read = try ContractSnapshot(directory: directory.appendingPathComponent("baseline"))
        #expect(read == .current)
    }

    @Test func writingGeneratedFilesRemovesStaleSchemas() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contracts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try ContractDocuments.write(to: directory)
        #expect(ContractDocuments.differences(in: directory).isEmpty)
        try Data("{}".utf8).write(to: directory.appendingPathComponent("schemas/gbm.subsidy.claim.eaten.v1.json"))
        #expect(ContractDocuments.differences(in: directory) == ["schemas/gbm.subsidy.claim.eaten.v1.json: not generated by the code (stale)"])
        let changed = try ContractDocuments.write(to: directory)
        #expect(changed == ["schemas/gbm.subsidy.claim.eaten.v1.json (deleted)"])
    }
}
