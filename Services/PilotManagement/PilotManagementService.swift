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

    /// The definition the executable runs: the campaign year and clock of its environment (`GBM_CAMPAIGN_DIR`,
    /// `GBM_CAMPAIGN_YEAR`, ``CampaignEnvironment``).
    public static func makeDefinition(environment: [String: String]) throws(ConfigurationError) -> ServiceDefinition {
        let campaign = try CampaignEnvironment(environment: EnvironmentReader(environment))
        var settings = PilotSettings(campaign: campaign)
        settings.deadlineCheckInterval = campaign.realInterval(settings.deadlineCheckInterval)
        return makeDefinition(settings: settings)
    }

    /// The definition with other settings (a test clock, a smaller upload limit).
    public static func makeDefinition(settings: PilotSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .pilot,
            executableName: "pilot-management",
            schema: "pilot",
            migrations: PilotMigrations.all,
            consumes: [.catalogueEnterprises, .reportingReports, .complaintsComplaints],
            openAPI: PilotOpenAPI.document,
            handlers: { service in
                let regions = RegionRegistry(context: PilotContext(service: service, settings: settings))
                return EnterpriseDirectory.handlers + [regions.summaryReportSubmitted, regions.complaintChannelsPublished]
            },
            routes: { router, service in
                let context = PilotContext(service: service, settings: settings)
                RegionRoutes(context: context).add(to: router)
                ApplicationRoutes(context: context).add(to: router)
                ActivityRoutes(context: context).add(to: router)
                ParticipantRoutes(context: context).add(to: router)
            },
            backgroundServices: { service in
                [ReportDeadlineScheduler(context: PilotContext(service: service, settings: settings))]
            },
            startUp: { service in
                let registry = RegionRegistry(context: PilotContext(service: service, settings: settings))
                try await registry.recordCampaignBatches()
                try await registry.announcePendingApprovals()
            })
    }
}
