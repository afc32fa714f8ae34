import PilotManagement
import ServiceHost

await ServiceHost.main("pilot-management", definition: PilotManagementService.makeDefinition(environment:))
