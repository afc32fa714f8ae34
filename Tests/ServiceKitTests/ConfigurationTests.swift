import ServiceKit
import Testing

struct ConfigurationTests {
    @Test func httpConfigurationHasDefaultsAndReadsTheEnvironment() throws {
        let defaults = try HTTPConfiguration(serviceName: "subsidy", environment: EnvironmentReader([:]))
        #expect(defaults == HTTPConfiguration(host: "127.0.0.1", port: 8080, serviceName: "subsidy", logLevel: .info))
        let set = try HTTPConfiguration(serviceName: "subsidy", environment: EnvironmentReader([
            "GBM_HTTP_HOST": "0.0.0.0", "GBM_HTTP_PORT": "9000", "GBM_LOG_LEVEL": "DEBUG", "GBM_READINESS_TIMEOUT_MS": "500",
        ]))
        #expect(set.host == "0.0.0.0")
        #expect(set.port == 9000)
        #expect(set.logLevel == .debug)
        #expect(set.readinessTimeout == .milliseconds(500))
    }

    @Test func invalidValuesNameTheVariableAndTheReason() {
        func error(_ environment: [String: String]) -> ConfigurationError? {
            do {
                _ = try HTTPConfiguration(serviceName: "x", environment: EnvironmentReader(environment))
                return nil
            } catch {
                return error
            }
        }
        #expect(error(["GBM_HTTP_PORT": "http"]) == ConfigurationError(variable: "GBM_HTTP_PORT", reason: #"must be an integer in 0...65535, got "http""#))
        #expect(error(["GBM_HTTP_PORT": "70000"])?.variable == "GBM_HTTP_PORT")
        #expect(error(["GBM_LOG_LEVEL": "loud"])?.variable == "GBM_LOG_LEVEL")
        #expect(error(["GBM_READINESS_TIMEOUT_MS": "-1"])?.variable == "GBM_READINESS_TIMEOUT_MS")
    }

    @Test func authConfigurationDefaultsToTheMarkedDevelopmentSecretAndRejectsShortSecrets() throws {
        let defaults = try AuthConfiguration(environment: EnvironmentReader([:]))
        #expect(defaults.usesDevelopmentSecret)
        #expect(defaults.tokenSecret.contains("DEVELOPMENT-ONLY"))
        #expect(defaults.issuer == "gbm")
        #expect(defaults.audience == "gbm-services")
        #expect(throws: ConfigurationError(variable: "GBM_TOKEN_SECRET", reason: "must be at least 32 characters, got 5")) {
            try AuthConfiguration(environment: EnvironmentReader(["GBM_TOKEN_SECRET": "short"]))
        }
        let configured = try AuthConfiguration(environment: EnvironmentReader(["GBM_TOKEN_SECRET": String(repeating: "s", count: 40)]))
        #expect(!configured.usesDevelopmentSecret)
    }
}
