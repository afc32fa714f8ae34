import Foundation
import Logging
import ServiceHost
import ServiceKit
import Subsidy
import Testing

/// A production start never runs on the public development secrets; a development run says which it uses.
@Suite struct DevelopmentRunTests {
    static let secrets = [
        "GBM_TOKEN_SECRET": String(repeating: "s", count: 48),
        "GBM_PII_HASH_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
        "GBM_PII_ENCRYPTION_KEY": Data(repeating: 9, count: 32).base64EncodedString(),
        "GBM_DB_PASSWORD": "a-real-password",
    ]

    static func check(_ values: [String: String]) throws(ConfigurationError) {
        let environment = EnvironmentReader(values)
        let definition = SubsidyService.definition
        let configuration = try HostConfiguration(definition: definition, environment: environment)
        try DevelopmentRun.check(
            configuration, schema: definition.schema, environment: environment, logger: Logger(label: "test"))
    }

    @Test func refusesToStartOnDevelopmentSecretsNamingEveryVariable() {
        do {
            try Self.check([:])
            Issue.record("started on the development secrets")
        } catch {
            #expect(error.variable == "GBM_TOKEN_SECRET")
            for name in ["GBM_TOKEN_SECRET", "GBM_PII_HASH_KEY", "GBM_PII_ENCRYPTION_KEY", "GBM_DB_PASSWORD"] {
                #expect(error.reason.contains(name), "\(error.reason)")
            }
        }
    }

    @Test func refusesEvenOneDevelopmentDefault() {
        var values = Self.secrets
        values["GBM_PII_ENCRYPTION_KEY"] = nil
        #expect(throws: ConfigurationError.self) { try Self.check(values) }
        values = Self.secrets
        values["GBM_DB_PASSWORD"] = "subsidy-local"
        #expect(throws: ConfigurationError.self) { try Self.check(values) }
    }

    /// With only the identity provider's JWKS configured, HS256 is off: no development secret is in use.
    @Test func aJWKSWithoutATokenSecretIsNoDevelopmentDefault() throws {
        var values = Self.secrets
        values["GBM_TOKEN_SECRET"] = nil
        values["GBM_TOKEN_JWKS"] = "/etc/gbm/jwks.json"
        try Self.check(values)
    }

    @Test func startsWithRealSecretsOrInADeclaredDevelopmentRun() throws {
        try Self.check(Self.secrets)
        try Self.check(["GBM_DEVELOPMENT": "true"])
        #expect(throws: ConfigurationError.self) { try Self.check(["GBM_DEVELOPMENT": "false"]) }
    }
}
