import Contracts
import ServiceHost
import ServiceKit

/// The `complaints` service: Consumer complaints, their deadlines in working days, mediation and violation reports.
///
/// Owns schema `complaints`; publishes complaints's topics; reads the topics below.
public enum ComplaintsService {
    public static let definition = ServiceDefinition(
        service: .complaints,
        executableName: "complaints",
        schema: "complaints",
        consumes: [.catalogueEnterprises, .catalogueCertificates, .pilotRegions, .subsidyClaims],
        openAPI: openAPI
    )

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = OpenAPIDocument(title: "complaints", version: "1.0.0")
}
