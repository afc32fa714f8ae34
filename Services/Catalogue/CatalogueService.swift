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
    public static let definition = makeDefinition(settings: CatalogueSettings())

    /// The definition the executable runs: the clock of its environment (``CampaignEnvironment``: the wall clock, or
    /// a development run's simulated one).
    public static func makeDefinition(environment: [String: String]) throws(ConfigurationError) -> ServiceDefinition {
        let reader = EnvironmentReader(environment)
        let campaign = try CampaignEnvironment(environment: reader)
        var settings = CatalogueSettings(clock: campaign.clock)
        settings.searchCacheEntries = try reader.int("GBM_CATALOGUE_SEARCH_CACHE_ENTRIES", default: settings.searchCacheEntries,
                                                     in: 0...1_000_000)
        settings.expirySweep = campaign.realInterval(settings.expirySweep)
        return makeDefinition(settings: settings)
    }

    /// The definition with other settings (tests move time and sweep more or less often).
    public static func makeDefinition(settings: CatalogueSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .catalogue,
            executableName: "catalogue",
            schema: "catalogue",
            migrations: CatalogueMigrations.all,
            consumes: [.complaintsReports, .pilotRegions],
            openAPI: CatalogueOpenAPI.document,
            handlers: { service in
                let context = CatalogueContext(service: service, settings: settings)
                return [ApprovedRegions.handler, Investigation(context: context).handler]
            },
            routes: { router, service in
                let context = CatalogueContext(service: service, settings: settings)
                EnterpriseRoutes(context: context).add(to: router)
                CertificateRoutes(context: context).add(to: router)
                CatalogueQueryRoutes(context: context).add(to: router)
                LocalListRoutes(context: context).add(to: router)
                NationalListRoutes(context: context).add(to: router)
            },
            backgroundServices: { service in
                [CertificateExpiryJob(context: CatalogueContext(service: service, settings: settings), interval: settings.expirySweep)]
            },
            seed: { service, directory in
                try await CatalogueSeeds(context: CatalogueContext(service: service, settings: settings), directory: directory).load()
            },
            startUp: { service in
                // Contact names stored in clear before migration 107.
                try await EnterpriseDirectory(context: CatalogueContext(service: service, settings: settings))
                    .protectStoredContactNames()
            }
        )
    }
}
