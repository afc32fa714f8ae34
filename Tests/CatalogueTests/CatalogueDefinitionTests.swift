import Catalogue
import Contracts
import ServiceHost
import ServiceKit
import Testing

@Suite("Catalogue service definition")
struct CatalogueDefinitionTests {
    @Test func ownsOnlyItsOwnTopicsAndNumbersItsMigrationsFrom100() {
        let definition = CatalogueService.definition
        #expect(definition.owns.allSatisfy { $0.owner == definition.service })
        #expect(definition.migrations.allSatisfy { $0.version >= 100 })
        #expect(!definition.consumes.contains { $0.owner == definition.service })
    }

    @Test func documentsEveryRouteAndServesEveryDocumentedOperation() async throws {
        let harness = try await CatalogueHarness.make()
        #expect(undocumentedRoutes(router: harness.host.router, document: CatalogueService.definition.openAPI) == [])
        #expect(unroutedOperations(router: harness.host.router, document: CatalogueService.definition.openAPI) == [])
        #expect(CatalogueService.definition.openAPI.operations.count > 20)
        await harness.close()
    }

    /// The document says what the routes take and answer: typed, required parameters, one Problem schema, the
    /// exports' CSV beside their JSON, the import's two success statuses.
    @Test func theDocumentTypesParametersBodiesAndAnswers() throws {
        let json = try JSONValue(parsing: Array(CatalogueService.definition.openAPI.jsonData()))
        func parameter(_ path: String, _ method: String, _ name: String) -> JSONValue? {
            json["paths"]?[path]?[method]?["parameters"]?.arrayValue?.first { $0["name"]?.stringValue == name }
        }
        #expect(parameter("/verify", "get", "certificate")?["required"] == true)
        #expect(parameter("/products", "get", "grade")?["schema"]?["enum"] == ["one-star", "two-star", "three-star"])
        #expect(parameter("/products", "get", "limit")?["schema"]?["maximum"] == 200)
        #expect(parameter("/national-list/batches", "post", "batch")?["required"] == true)
        #expect(parameter("/regions/{regionCode}/local-list", "get", "regionCode")?["schema"]?["pattern"] != nil)
        let importOperation = json["paths"]?["/national-list/batches"]?["post"]
        #expect(Set(importOperation?["requestBody"]?["content"]?.objectValue?.keys.map { $0 } ?? []) == ["text/csv", "application/json"])
        #expect(importOperation?["responses"]?["200"]?["content"]?["application/json"] != nil)
        #expect(importOperation?["responses"]?["201"]?["content"]?["application/json"] != nil)
        #expect(importOperation?["responses"]?["413"]?["content"]?["application/problem+json"]?["schema"]?["$ref"]
                == "#/components/schemas/Problem")
        let export = json["paths"]?["/national-list/export"]?["get"]?["responses"]?["200"]?["content"]?.objectValue ?? [:]
        #expect(Set(export.keys) == ["application/json", "text/csv"])
        #expect(json["components"]?["schemas"]?["Problem"]?["required"] != nil)
        for (path, item) in json["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] {
                #expect(operation["responses"]?.objectValue?.keys.contains { $0.hasPrefix("2") } == true, "\(method) \(path)")
                #expect(operation["operationId"]?.stringValue?.isEmpty == false, "\(method) \(path)")
            }
        }
    }

    @Test func certificateNumbersAndTransitionsFollowTheRules() throws {
        #expect(CertificateNumber(rawValue: "cgbm-2023-zj-000871")?.rawValue == "CGBM-2023-ZJ-000871")
        #expect(CertificateNumber(rawValue: "-ABC") == nil)
        #expect(CertificateNumber(rawValue: "AB") == nil)
        #expect(throws: CatalogueError.self) { try CertificateAction.restore.transition(from: .revoked) }
        #expect(try CertificateAction.restore.transition(from: .suspended) == .valid)
        for final in [CertificateStatus.revoked, .cancelled, .expired] {
            #expect(CertificateAction.allCases.allSatisfy { !$0.allowedFrom.contains(final) })
        }
    }
}
