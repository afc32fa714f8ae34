import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit

/// Shared fixtures: a secret, a signer and verifier on it, and an application built the way a service builds one.
enum Fixture {
    static let secret = "servicekit-tests-secret-0123456789abcdef"
    static let signer = TokenSigner(secret: secret)
    static let verifier = TokenVerifier(secret: secret)

    static let document = try! OpenAPIDocument(json: #"""
        {
          "openapi": "3.1.0",
          "info": { "title": "test", "version": "1" },
          "paths": {
            "/widgets": { "post": { "responses": { "201": { "description": "created" } } } },
            "/widgets/{id}": { "get": { "responses": { "200": { "description": "found" } } } }
          }
        }
        """#)

    /// The default test logger: only warnings and worse reach the test output.
    static var quietLogger: Logger {
        var logger = Logger(label: "servicekit-tests")
        logger.logLevel = .warning
        return logger
    }

    /// A logger that keeps what it logs, to check the request log.
    static func recordingLogger() -> (Logger, LogRecorder) {
        let recorder = LogRecorder()
        var logger = Logger(label: "servicekit-tests") { _ in RecordingLogHandler(recorder: recorder) }
        logger.logLevel = .debug
        return (logger, recorder)
    }

    static func application(
        readiness: [ReadinessCheck] = [],
        readinessTimeout: Duration = .seconds(2),
        port: Int = 0,
        logger: Logger = quietLogger,
        document: OpenAPIDocument = document,
        routes: (Router<AppRequestContext>) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(
            service: "test",
            readiness: readiness,
            auth: verifier,
            openAPI: document,
            logger: logger,
            readinessTimeout: readinessTimeout
        )
        routes(router)
        return buildHTTPApplication(
            configuration: HTTPConfiguration(host: "127.0.0.1", port: port, serviceName: "test", logLevel: logger.logLevel),
            router: router,
            logger: logger
        )
    }
}

/// A body a test route decodes.
struct Widget: Codable, Equatable {
    var name: String
    var quantity: Int
    var tags: [Tag]

    struct Tag: Codable, Equatable {
        var label: String
    }
}

/// The log entries a ``RecordingLogHandler`` saw.
final class LogRecorder: @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lock = NSLock()
    private var storage: [Entry] = []

    var entries: [Entry] { lock.withLock { storage } }

    func append(_ entry: Entry) {
        lock.withLock { storage.append(entry) }
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        recorder.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}

/// base64url without padding, for hand-made tokens.
func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
