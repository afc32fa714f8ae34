import Contracts
import ServiceHost
import ServiceKit

/// The `catalogue` service: Certified products, enterprises, certificates and regional local lists.
///
/// Owns schema `catalogue`; publishes catalogue's topics; reads the topics below.
public enum CatalogueService {
    public static let definition = ServiceDefinition(
        service: .catalogue,
        executableName: "catalogue",
        schema: "catalogue",
        consumes: [.complaintsReports, .pilotRegions],
        openAPI: openAPI
    )

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = OpenAPIDocument(title: "catalogue", version: "1.0.0")
}
