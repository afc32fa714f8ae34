import Contracts
import ServiceHost
import ServiceKit

/// The `subsidy` service: Purchase and loan-interest subsidy programmes, claims, budget ledger and payments.
///
/// Owns schema `subsidy`; publishes subsidy's topics; reads the topics below.
public enum SubsidyService {
    public static let definition = ServiceDefinition(
        service: .subsidy,
        executableName: "subsidy",
        schema: "subsidy",
        consumes: [.catalogueCertificates, .catalogueLocalLists, .pilotRegions, .pilotParticipants],
        openAPI: openAPI
    )

    /// The OpenAPI 3.1 document of the service's own routes (the host adds the platform routes).
    public static let openAPI = OpenAPIDocument(title: "subsidy", version: "1.0.0")
}
