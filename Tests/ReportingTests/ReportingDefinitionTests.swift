import Contracts
import ServiceHost
import Testing
import Reporting

@Suite("Reporting service definition")
struct ReportingDefinitionTests {
    @Test func ownsOnlyItsOwnTopicsAndNumbersItsMigrationsFrom100() {
        let definition = ReportingService.definition
        #expect(definition.owns.allSatisfy { $0.owner == definition.service })
        #expect(definition.migrations.allSatisfy { $0.version >= 100 })
        #expect(!definition.consumes.contains { $0.owner == definition.service })
    }
}
