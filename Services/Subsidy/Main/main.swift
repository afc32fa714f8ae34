import Subsidy
import ServiceHost

await ServiceHost.main(SubsidyService.definition)
