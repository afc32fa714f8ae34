import Contracts
import ServiceHost
import ServiceKit

/// The `pilot-management` service: pilot regions, applications, reviews, activities and participants.
///
/// Owns schema `pilot`; publishes `gbm.pilot.regions.v1`, `gbm.pilot.activities.v1` and
/// `gbm.pilot.participants.v1`; reads `gbm.catalogue.enterprises.v1` into its own enterprise directory to
/// validate enrolments.
public enum PilotManagementService {
    public static let definition = makeDefinition(settings: PilotSettings())

    /// The definition with other settings (a test clock, a smaller upload limit).
    public static func makeDefinition(settings: PilotSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .pilot,
            executableName: "pilot-management",
            schema: "pilot",
            migrations: PilotMigrations.all,
            consumes: [.catalogueEnterprises],
            openAPI: openAPI,
            handlers: { _ in EnterpriseDirectory.handlers },
            routes: { router, context in
                RegionRoutes(service: context, settings: settings).register(on: router)
                ApplicationRoutes(service: context, settings: settings).register(on: router)
                ActivityRoutes(service: context, settings: settings).register(on: router)
                ParticipantRoutes(service: context, settings: settings).register(on: router)
            },
            backgroundServices: { context in [ReportDeadlineScheduler(service: context, settings: settings)] })
    }

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = PilotOpenAPI.document
}
