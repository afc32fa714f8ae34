import Contracts
import ServiceHost
import Testing
import Complaints

@Suite("Complaints service definition")
struct ComplaintsDefinitionTests {
    @Test func ownsOnlyItsOwnTopicsAndNumbersItsMigrationsFrom100() {
        let definition = ComplaintsService.definition
        #expect(definition.owns.allSatisfy { $0.owner == definition.service })
        #expect(definition.migrations.allSatisfy { $0.version >= 100 })
        #expect(!definition.consumes.contains { $0.owner == definition.service })
    }
}
