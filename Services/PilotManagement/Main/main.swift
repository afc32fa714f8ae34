import PilotManagement
import ServiceHost

await ServiceHost.main(PilotManagementService.definition)
