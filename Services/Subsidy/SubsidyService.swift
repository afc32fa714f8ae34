import Contracts
import Hummingbird
import Messaging
import ServiceHost
import ServiceKit
import ServiceLifecycle

/// The `subsidy` service: Purchase and loan-interest subsidy programmes, claims, the budget ledger and payments.
///
/// Owns schema `subsidy`; publishes `gbm.subsidy.programmes.v1`, `.claims.v1`, `.payments.v1` and `.loan-interest-subsidies.v1`;
/// reads certificates and local lists (eligibility) and pilot regions and participants (enrolled sellers).
public enum SubsidyService {
    public static let definition = makeDefinition(settings: SubsidySettings())

    /// The definition the executable runs: the campaign's working days (payment due days) and clock
    /// (``CampaignEnvironment``).
    public static func makeDefinition(environment: [String: String]) throws(ConfigurationError) -> ServiceDefinition {
        let campaign = try CampaignEnvironment(environment: EnvironmentReader(environment))
        var settings = SubsidySettings(clock: campaign.clock, workingDays: campaign.book.calendar)
        settings.deadlineCheckInterval = campaign.realInterval(settings.deadlineCheckInterval)
        return makeDefinition(settings: settings)
    }

    /// The definition with other settings (tests move the clock).
    public static func makeDefinition(settings: SubsidySettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .subsidy,
            executableName: "subsidy",
            schema: "subsidy",
            migrations: SubsidyMigrations.all,
            consumes: [.catalogueCertificates, .catalogueLocalLists, .pilotRegions, .pilotParticipants],
            openAPI: SubsidyOpenAPI.document,
            handlers: { service in
                let context = SubsidyContext(service: service, settings: settings)
                return PilotReadModel.handlers + CatalogueReadModel(holds: ClaimHolds(context: context)).handlers
            },
            routes: { router, service in
                let context = SubsidyContext(service: service, settings: settings)
                ProgrammeRoutes(context: context).add(to: router)
                ClaimRoutes(context: context).add(to: router)
                PaymentRoutes(context: context).add(to: router)
                LoanRoutes(context: context).add(to: router)
            },
            backgroundServices: { service in
                [PaymentDeadlineJob(context: SubsidyContext(service: service, settings: settings))]
            }
        )
    }
}
