import Contracts
import ServiceHost
import ServiceKit

/// The `complaints` service: Consumer consultations and complaints, their deadlines in working days, mediation and violation reports.
///
/// Owns schema `complaints`; publishes `gbm.complaints.complaints.v1` and `.reports.v1`; reads enterprises,
/// certificates, pilot regions and participants and subsidy claims to check and enrich references.
public enum ComplaintsService {
    public static let definition = makeDefinition(settings: ComplaintsSettings())

    /// The definition the executable runs: the defaults with the service's own variables (`GBM_OPEN311_API_KEYS`)
    /// and the campaign's working days and clock (``CampaignEnvironment``); a malformed one is an error naming it.
    public static func makeDefinition(environment: [String: String]) throws(ConfigurationError) -> ServiceDefinition {
        let reader = EnvironmentReader(environment)
        let campaign = try CampaignEnvironment(environment: reader)
        var settings = ComplaintsSettings(
            clock: campaign.clock, workingDays: campaign.book.calendar, open311APIKeys: try Open311APIKeys(environment: reader))
        settings.deadlineCheckInterval = campaign.realInterval(settings.deadlineCheckInterval)
        return makeDefinition(settings: settings)
    }

    /// The definition with other settings (tests move the clock).
    public static func makeDefinition(settings: ComplaintsSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .complaints,
            executableName: "complaints",
            schema: "complaints",
            migrations: ComplaintsMigrations.all,
            consumes: [.catalogueEnterprises, .catalogueCertificates, .pilotRegions, .pilotParticipants, .subsidyClaims],
            openAPI: ComplaintsOpenAPI.document,
            handlers: { _ in ReferenceReadModel.handlers },
            routes: { router, service in
                let context = ComplaintsContext(service: service, settings: settings)
                ChannelRoutes(context: context).add(to: router)
                CaseRoutes(context: context).add(to: router)
                DisputeResolutionRoutes(context: context).add(to: router)
                Open311Routes(context: context).add(to: router)
            },
            backgroundServices: { service in
                [CaseDeadlineJob(context: ComplaintsContext(service: service, settings: settings))]
            }
        )
    }
}
