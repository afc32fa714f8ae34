import Foundation
import Reporting
import ServiceHost

await ServiceHost.main(ReportingService.makeDefinition(environment: ProcessInfo.processInfo.environment))
