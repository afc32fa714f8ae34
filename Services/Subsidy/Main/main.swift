import ServiceHost
import Subsidy

await ServiceHost.main("subsidy", definition: SubsidyService.makeDefinition(environment:))
