import Contracts
import ServiceHost
import ServiceKit

/// The `pilot-management` service: Pilot regions, applications, reviews, activities and participants.
///
/// Owns schema `pilot`; publishes pilot's topics; reads the topics below.
public enum PilotManagementService {
    public static let definition = ServiceDefinition(
        service: .pilot,
        executableName: "pilot-management",
        schema: "pilot",
        consumes: [.catalogueEnterprises],
        openAPI: openAPI
    )

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = OpenAPIDocument(title: "pilot-management", version: "1.0.0")
}
