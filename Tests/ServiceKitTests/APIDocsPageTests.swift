import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

/// The browsable API page: Swagger UI's files from `GBM_API_DOCS_DIR`, served with a policy that loads nothing from
/// elsewhere; without them a clear 503; a directory without them stops the start.
@Suite struct APIDocsPageTests {
    static func directory(with files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("api-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory.path
    }

    static func application(docs: String?) -> some ApplicationProtocol {
        let router = makeRouter(
            service: "widgets", readiness: [], auth: Fixture.verifier, openAPI: Fixture.document,
            logger: Logger(label: "t"), apiDocsDirectory: docs)
        return Application(router: router)
    }

    @Test func thePageLoadsSwaggerUIAndTheDocumentFromTheServiceItself() async throws {
        let docs = try Self.directory(with: ["swagger-ui-bundle.js": "window.SwaggerUIBundle = function () {};", "swagger-ui.css": "body{}"])
        try await Self.application(docs: docs).test(.router) { client in
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"))
            let html = String(buffer: page.body)
            #expect(html.contains(#"<script src="docs/assets/swagger-ui-bundle.js"></script>"#))
            #expect(html.contains(#"<script src="docs/init.js"></script>"#))
            #expect(!html.contains("http://") && !html.contains("https://"), "nothing from another origin")
            let script = try await client.execute(uri: "/docs/init.js", method: .get)
            #expect(String(buffer: script.body).contains(#"url: "openapi.json""#))
            let bundle = try await client.execute(uri: "/docs/assets/swagger-ui-bundle.js", method: .get)
            #expect(bundle.status == .ok && String(buffer: bundle.body) == "window.SwaggerUIBundle = function () {};")
            #expect(bundle.headers[.contentType] == "text/javascript; charset=utf-8")
            // A file the page does not use is refused by name; one the package lacks is 404.
            let other = try await client.execute(uri: "/docs/assets/..%2F..%2Fetc%2Fpasswd", method: .get)
            #expect(other.status == .unprocessableContent)
            #expect(String(buffer: other.body).contains(#""field":"file""#))
            let icon = try await client.execute(uri: "/docs/assets/favicon-32x32.png", method: .get)
            #expect(icon.status == .notFound)
        }
    }

    @Test func withoutSwaggerUIThePageIsA503AndTheDocumentStillServed() async throws {
        try await Self.application(docs: nil).test(.router) { client in
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: page.body).contains(#""code":"api-docs-unavailable""#))
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
        }
    }

    @Test func aDirectoryWithoutSwaggerUIStopsTheStart() throws {
        let empty = try Self.directory(with: ["swagger-ui.css": "body{}"])
        #expect(throws: ConfigurationError.self) {
            try HTTPConfiguration(serviceName: "widgets", environment: EnvironmentReader(["GBM_API_DOCS_DIR": empty]))
        }
        let complete = try Self.directory(with: ["swagger-ui.css": "body{}", "swagger-ui-bundle.js": "x"])
        let configuration = try HTTPConfiguration(serviceName: "widgets", environment: EnvironmentReader(["GBM_API_DOCS_DIR": complete]))
        #expect(configuration.apiDocsDirectory == complete)
    }
}
