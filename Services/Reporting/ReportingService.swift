import Contracts
import ServiceHost
import ServiceKit

/// The `reporting` service: Projections of every topic, live dashboards and the end-of-November summary reports.
///
/// Owns schema `reporting`; publishes `gbm.reporting.reports.v1`; reads every other topic.
public enum ReportingService {
    public static let definition = makeDefinition(settings: ReportingSettings())

    /// The definition with other settings (tests move the clock).
    public static func makeDefinition(settings: ReportingSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .reporting,
            executableName: "reporting",
            schema: "reporting",
            migrations: ReportingMigrations.all,
            consumes: EventCatalogue.topics.filter { $0.owner != .reporting },
            openAPI: ReportingOpenAPI.document)
    }
}
