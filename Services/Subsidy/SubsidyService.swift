import Contracts
import ServiceHost
import ServiceKit

/// The `subsidy` service: Purchase and loan-interest subsidy programmes, claims, the budget ledger and payments.
///
/// Owns schema `subsidy`; publishes `gbm.subsidy.programmes.v1`, `.claims.v1`, `.payments.v1` and `.loan-interest-subsidies.v1`;
/// reads certificates and local lists (eligibility) and pilot regions and participants (enrolled sellers).
public enum SubsidyService {
    public static let definition = makeDefinition(settings: SubsidySettings())

    /// The definition with other settings (tests move the clock).
    public static func makeDefinition(settings: SubsidySettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .subsidy,
            executableName: "subsidy",
            schema: "subsidy",
            migrations: SubsidyMigrations.all,
            consumes: [.catalogueCertificates, .catalogueLocalLists, .pilotRegions, .pilotParticipants],
            openAPI: SubsidyOpenAPI.document)
    }
}
