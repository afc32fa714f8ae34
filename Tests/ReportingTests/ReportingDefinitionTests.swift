import Contracts
import Hummingbird
import ServiceHost
import ServiceKit
import Testing
@testable import Reporting

@Suite("Reporting service definition")
struct ReportingDefinitionTests {
    @Test func ownsOnlyItsOwnTopicsAndNumbersItsMigrationsFrom100() {
        let definition = ReportingService.definition
        #expect(definition.owns.allSatisfy { $0.owner == definition.service })
        #expect(definition.migrations.allSatisfy { $0.version >= 100 })
        #expect(!definition.consumes.contains { $0.owner == definition.service })
    }

    /// The dashboard's routes need no infrastructure, so they are checked here against the document (the whole router
    /// is checked with a database by the route fuzzer and by schemathesis in `system-check.sh`).
    @Test func documentsTheDashboardRoutesWithEveryFilesMediaType() throws {
        let router = Router(context: AppRequestContext.self)
        DashboardRoutes().add(to: router)
        let document = ReportingService.definition.openAPI
        #expect(undocumentedRoutes(router: router, document: document) == [])
        #expect(document.operations.contains(.init(method: "get", path: "/dashboard")))
        let json = try JSONValue(parsing: Array(document.jsonData()))
        let assets = json["paths"]?["/dashboard/assets/{name}"]?["get"]
        #expect(assets?["security"] == [], "public")
        let content = assets?["responses"]?["200"]?["content"]?.objectValue ?? [:]
        #expect(Set(content.keys) == Set(DashboardAsset.files.map(\.mediaType)))
        #expect(assets?["responses"]?["404"] != nil)
        #expect(json["paths"]?["/dashboard"]?["get"]?["responses"]?["200"]?["content"]?["text/html"] != nil)
        let overview = json["paths"]?["/overview"]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]
        #expect(overview?["required"]?.arrayValue?.contains("feedPosition") == true)
    }
}
