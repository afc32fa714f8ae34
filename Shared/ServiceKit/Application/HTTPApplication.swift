import Hummingbird
import Logging

/// The service's HTTP server: a Hummingbird application listening where `configuration` says, logging at its level.
///
/// The result is a swift-service-lifecycle `Service`: the host runs it in its `ServiceGroup` (with SIGTERM/SIGINT
/// as graceful-shutdown signals), where a graceful shutdown stops accepting connections and lets in-flight requests
/// finish.
public func buildHTTPApplication(
    configuration: HTTPConfiguration,
    router: Router<AppRequestContext>,
    logger: Logger
) -> some ApplicationProtocol {
    var logger = logger
    logger.logLevel = configuration.logLevel
    logger[metadataKey: "service.name"] = .string(configuration.serviceName)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
        logger: logger
    )
}
