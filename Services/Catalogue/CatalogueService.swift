import Contracts
import Hummingbird
import Messaging
import ServiceHost
import ServiceKit
import ServiceLifecycle

/// The `catalogue` service: certified products, enterprises, certificates and regional local lists.
///
/// Owns schema `catalogue`; publishes the enterprises, certificates and local-lists topics; reads pilot region
/// approvals (which regions may hold a local list) and certification-violation reports (investigation flags).
public enum CatalogueService {
    public static let definition = makeDefinition(clock: .system)

    /// The definition with a given clock and expiry sweep interval (tests move time).
    public static func makeDefinition(clock: CatalogueClock, expirySweep: Duration = .seconds(60)) -> ServiceDefinition {
        ServiceDefinition(
            service: .catalogue,
            executableName: "catalogue",
            schema: "catalogue",
            migrations: CatalogueMigrations.all,
            consumes: [.complaintsReports, .pilotRegions],
            openAPI: openAPI,
            handlers: { service in
                let context = CatalogueContext(service: service, clock: clock)
                return [ApprovedRegions.handler, Investigation(context: context).handler]
            },
            routes: { router, service in
                let context = CatalogueContext(service: service, clock: clock)
                EnterpriseRoutes(context: context).add(to: router)
                CertificateRoutes(context: context).add(to: router)
                CatalogueQueryRoutes(context: context).add(to: router)
                LocalListRoutes(context: context).add(to: router)
                NationalListRoutes(context: context).add(to: router)
            },
            backgroundServices: { service in
                [CertificateExpiryJob(context: CatalogueContext(service: service, clock: clock), interval: expirySweep)]
            },
            seed: { service, directory in
                try await CatalogueSeeds(context: CatalogueContext(service: service, clock: clock), directory: directory).load()
            }
        )
    }

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = CatalogueOpenAPI.document
}
