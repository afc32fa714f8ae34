import Logging
import ServiceKit

/// The public development values a service falls back to when a secret is not configured: the token secret
/// (anyone could mint a ministry token), the personal-data keys (anyone could read or match the data) and the
/// local database password. A process refuses to start on any of them unless it is told that this is a development
/// run with `GBM_DEVELOPMENT=true`, which only the local scripts set; then it logs which ones are in use.
public enum DevelopmentRun {
    /// The variable that declares a development run.
    public static let variable = "GBM_DEVELOPMENT"

    /// The variables whose public development default `configuration` uses, in a stable order.
    public static func defaultsInUse(by configuration: HostConfiguration, schema: String) -> [String] {
        var names: [String] = []
        if configuration.auth.usesDevelopmentSecret { names.append("GBM_TOKEN_SECRET") }
        if configuration.personalData.hashKey == PersonalDataConfiguration.developmentHashKey {
            names.append("GBM_PII_HASH_KEY")
        }
        if configuration.personalData.encryptionKey == PersonalDataConfiguration.developmentEncryptionKey {
            names.append("GBM_PII_ENCRYPTION_KEY")
        }
        if configuration.postgres.password == HostConfiguration.developmentDatabasePassword(schema: schema) {
            names.append("GBM_DB_PASSWORD")
        }
        return names
    }

    /// Refuses a production start on development defaults, naming each variable to set; in a declared development
    /// run, warns once with the same list.
    public static func check(
        _ configuration: HostConfiguration, schema: String, environment: EnvironmentReader, logger: Logger
    ) throws(ConfigurationError) {
        let inUse = defaultsInUse(by: configuration, schema: schema)
        guard !inUse.isEmpty else { return }
        guard try environment.bool(variable, default: false) else {
            throw ConfigurationError(
                variable: inUse[0],
                reason: "is not set, and its public development default is refused outside a development run; set "
                    + inUse.joined(separator: ", ") + " (or \(variable)=true on a developer's machine)")
        }
        logger.warning("development run: public development secrets in use, never expose this process", metadata: [
            "config.development_defaults": "\(inUse.joined(separator: ","))",
        ])
    }
}
