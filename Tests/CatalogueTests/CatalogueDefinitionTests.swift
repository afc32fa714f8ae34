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
