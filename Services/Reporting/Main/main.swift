import Reporting
import ServiceHost

await ServiceHost.main(ReportingService.definition)
