import Foundation
import Logging

/// Where and how a service's HTTP server listens.
///
/// | variable | default |
/// |---|---|
/// | `GBM_HTTP_HOST` | `127.0.0.1` |
/// | `GBM_HTTP_PORT` | `8080` |
/// | `GBM_LOG_LEVEL` | `info` |
/// | `GBM_READINESS_TIMEOUT_MS` | `2000` |
/// | `GBM_HTTP_IDLE_TIMEOUT_MS` | `60000` |
/// | `GBM_API_DOCS_DIR` | unset | Swagger UI's files for the browsable API page `GET /docs` (``APIDocsPage``) |
public struct HTTPConfiguration: Sendable, Equatable {
    /// Interface to bind; `0.0.0.0` in containers.
    public var host: String
    /// TCP port; 0 picks a free one (tests).
    public var port: Int
    /// The service's name (`catalogue`, `subsidy`…): in logs, metrics and the OpenAPI document.
    public var serviceName: String
    /// Log level of the service's logger.
    public var logLevel: Logger.Level
    /// How long one readiness check may take before `/health/ready` reports it failed.
    public var readinessTimeout: Duration
    /// How long a connection may stay idle (no request in progress) before the server closes it, so clients that
    /// open connections and send nothing cannot hold the server's sockets for ever.
    public var idleTimeout: Duration
    /// Swagger UI's files (`swagger-ui-bundle.js`, `swagger-ui.css`), when the browsable API page is served.
    public var apiDocsDirectory: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        serviceName: String,
        logLevel: Logger.Level = .info,
        readinessTimeout: Duration = .seconds(2),
        idleTimeout: Duration = .seconds(60),
        apiDocsDirectory: String? = nil
    ) {
        self.apiDocsDirectory = apiDocsDirectory
        self.host = host
        self.port = port
        self.serviceName = serviceName
        self.logLevel = logLevel
        self.readinessTimeout = readinessTimeout
        self.idleTimeout = idleTimeout
    }

    /// Reads `GBM_HTTP_HOST`, `GBM_HTTP_PORT`, `GBM_LOG_LEVEL`, `GBM_READINESS_TIMEOUT_MS`, `GBM_HTTP_IDLE_TIMEOUT_MS` and
    /// `GBM_API_DOCS_DIR` (which must hold Swagger UI's files when set).
    public init(serviceName: String, environment: EnvironmentReader) throws(ConfigurationError) {
        let apiDocsDirectory = environment.string("GBM_API_DOCS_DIR")
        if let directory = apiDocsDirectory {
            for file in APIDocsPage.requiredFiles
            where !FileManager.default.isReadableFile(atPath: (directory as NSString).appendingPathComponent(file)) {
                throw ConfigurationError(
                    variable: "GBM_API_DOCS_DIR",
                    reason: "must be a directory with Swagger UI's \(APIDocsPage.requiredFiles.joined(separator: ", ")) (the PyPI package swagger-ui-bundle-v2's vendor/swagger-ui-<version>), but \(file) is not readable in \(directory)")
            }
        }
        self.init(
            host: environment.string("GBM_HTTP_HOST", default: "127.0.0.1"),
            port: try environment.int("GBM_HTTP_PORT", default: 8080, in: 0...65535),
            serviceName: serviceName,
            logLevel: try environment.logLevel("GBM_LOG_LEVEL", default: .info),
            readinessTimeout: try environment.milliseconds("GBM_READINESS_TIMEOUT_MS", default: .seconds(2)),
            idleTimeout: try environment.milliseconds("GBM_HTTP_IDLE_TIMEOUT_MS", default: .seconds(60)),
            apiDocsDirectory: apiDocsDirectory
        )
    }

}
