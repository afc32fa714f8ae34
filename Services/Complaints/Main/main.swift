import Complaints
import ServiceHost

await ServiceHost.main(ComplaintsService.definition)
