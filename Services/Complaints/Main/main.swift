import Complaints
import ServiceHost

// The service's own variables (GBM_OPEN311_API_KEYS, the campaign's) are read before the host starts: a malformed
// one stops it here.
await ServiceHost.main("complaints", definition: ComplaintsService.makeDefinition(environment:))
