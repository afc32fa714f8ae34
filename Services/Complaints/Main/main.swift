import Complaints
import Foundation
import ServiceHost

// The service's own variables (GBM_OPEN311_API_KEYS) are read before the host starts: a malformed one stops it here.
let definition: ServiceDefinition
do {
    definition = try ComplaintsService.makeDefinition(environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("complaints: \(error)\n".utf8))
    exit(1)
}
await ServiceHost.main(definition)
