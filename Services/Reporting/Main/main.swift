import Reporting
import ServiceHost

await ServiceHost.main("reporting", definition: ReportingService.makeDefinition(environment:))
