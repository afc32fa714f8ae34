import Contracts
import ServiceHost
import ServiceKit

/// The `reporting` service: Projections of every topic and the end-of-November summary reports.
///
/// Owns schema `reporting`; publishes reporting's topics; reads the topics below.
public enum ReportingService {
    public static let definition = ServiceDefinition(
        service: .reporting,
        executableName: "reporting",
        schema: "reporting",
        consumes: EventCatalogue.topics.filter { $0.owner != .reporting },
        openAPI: openAPI
    )

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = OpenAPIDocument(title: "reporting", version: "1.0.0")
}
