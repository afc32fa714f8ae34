import Contracts
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// The `reporting` service: Projections of every topic, the live web dashboard and the end-of-November summary reports.
///
/// Owns schema `reporting`; publishes `gbm.reporting.reports.v1` (report submitted, acknowledged, corrected); reads every
/// other topic. Its projections are keyed facts (``FactLedger``), so `reporting rebuild` can empty them and replay the
/// topics to the same result; each applied event is also an entry of the live feed (``LiveFeed``).
public enum ReportingService {
    public static let definition = makeDefinition(settings: ReportingSettings())

    /// The definition the executable runs: the defaults with the service's own variables (`GBM_PDF_RENDERER`) and
    /// the campaign years and clock (``CampaignEnvironment``).
    public static func makeDefinition(environment: [String: String]) throws(ConfigurationError) -> ServiceDefinition {
        let campaign = try CampaignEnvironment(environment: EnvironmentReader(environment))
        var settings = ReportingSettings(clock: campaign.clock, campaigns: campaign.book)
        if let renderer = environment["GBM_PDF_RENDERER"], !renderer.isEmpty { settings.pdfRenderer = renderer }
        return makeDefinition(settings: settings)
    }

    /// The definition with other settings (tests move the clock).
    public static func makeDefinition(settings: ReportingSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .reporting,
            executableName: "reporting",
            schema: "reporting",
            migrations: ReportingMigrations.all,
            consumes: EventCatalogue.topics.filter { $0.owner != .reporting },
            openAPI: ReportingOpenAPI.document,
            handlers: { _ in CatalogueProjection.handlers + PilotProjection.handlers + SubsidyProjection.handlers
                + ComplaintsProjection.handlers(calendar: settings.campaigns.calendar) },
            fallbackHandler: { _ in IgnoredEvents.handler },
            projectionReset: { connection in
                try await connection.query("TRUNCATE fact, participant, pilot_region, complaint_case")
            },
            routes: { router, service in
                let context = ReportingContext(service: service, settings: settings)
                ProjectionRoutes(context: context).add(to: router)
                ReportRoutes(context: context).add(to: router)
                FeedRoutes(context: context).add(to: router)
                DashboardRoutes().add(to: router)
            })
    }
}
